package graph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/rpm/macro"
)

const sampleSpec = `Name: sample
Version: 1
Release: 1%{?dist}
Summary: s
License: MIT
BuildRequires: gcc, make >= 4
%global pkgs one two
%define sub_pkg() %{expand:%%package %1\
Summary: %1\
%%description %1\
%1.\
}

%description
Text that mentions %{name}.

%package libs
Summary: libs
Provides: sample-libs(x86-64) = 1

%description libs
Libraries.

%generate_buildrequires
echo foo

%prep
%autosetup

%build
%global late 1
%{expand:%%global fromexpand 1}
%configure \
  --with-x
%make_build

%files
%license COPYING
%{_bindir}/sample
%sub_pkg extra

%files libs
%{_libdir}/*.so.*

%if %{late}
%package late
Summary: late
%description late
Late.
%endif

%changelog
* Mon Jan 05 2026 A <a@example.org> - 1-1
- %if nothing
`

func TestAbridgeKeepsWhatMatters(t *testing.T) {
	ab := abridge([]byte(sampleSpec))
	text := string(ab.text)
	if !ab.dynamic {
		t.Errorf("the %%generate_buildrequires section went unnoticed")
	}
	if got, want := strings.Count(text, "\n"), strings.Count(sampleSpec, "\n"); got != want {
		t.Errorf("%d lines, want %d", got, want)
	}
	for _, kept := range []string{"%global late 1", "%sub_pkg extra", "%package libs", "%if %{late}", "Provides: sample-libs(x86-64) = 1"} {
		if !strings.Contains(text, kept) {
			t.Errorf("dropped %q", kept)
		}
	}
	for _, dropped := range []string{"echo foo", "%autosetup", "%configure", "--with-x", "%make_build", "%license", "%{_bindir}", "Text that", "%{expand:%%global fromexpand", "- %if nothing"} {
		if strings.Contains(text, dropped) {
			t.Errorf("kept %q", dropped)
		}
	}
}

func TestEvalSpec(t *testing.T) {
	ev := corpusEvaluator(t)
	s, err := ev.Eval(context.Background(), "sample", []byte(sampleSpec), t.TempDir(), "sample.spec")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(s.BuildRequires, s.Packages, s.DynamicBuildRequires)
	want := "[gcc make >= 4] [{sample []} {sample-libs [sample-libs(x86-64) = 1]} {sample-extra []} {sample-late []}] true"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestEvalFallsBackToWholeSpec: a macro the abridged text no longer
// defines makes its evaluation fail; the whole spec is evaluated instead.
func TestEvalFallsBackToWholeSpec(t *testing.T) {
	ev := corpusEvaluator(t)
	spec := strings.Replace(sampleSpec, "%if %{late}", "%if %{fromexpand}", 1)
	s, err := ev.Eval(context.Background(), "sample", []byte(spec), t.TempDir(), "sample.spec")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Packages); n != 4 {
		t.Errorf("%d packages: %v", n, s.Packages)
	}
	if _, err := ev.Eval(context.Background(), "bad", []byte("Name: bad\n%if\n"), t.TempDir(), "bad.spec"); err == nil {
		t.Error("no error for a broken spec")
	}
}

// TestEvalWithoutDist: a host without %dist (Debian's rpm) evaluates specs
// that use %{?dist}.
func TestEvalWithoutDist(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "macros"), []byte("%_sourcedir /nonexistent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	base, err := macro.Load(ctx, macro.Config{ConfigDir: dir, Arch: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewEvaluator(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ev.Eval(ctx, "x", []byte("Name: x\nVersion: 1\nRelease: 1%{?dist}\nBuildRequires: y\n"), dir, "x.spec")
	if err != nil || fmt.Sprint(s.BuildRequires) != "[y]" {
		t.Errorf("got %v, %v", s, err)
	}
}
