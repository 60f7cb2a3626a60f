package rpmspec

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/rpm/macro"
)

// Expected values were recorded with rpm 4.18 (rpmspec -P and python3-rpm's
// rpm.spec()); tests never call rpm.

func testBase(t *testing.T) *macro.Base {
	t.Helper()
	b, err := macro.Load(context.Background(), macro.Config{ConfigDir: "../macro/testdata/config"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const sampleSpec = `Name: foo
Version: 1.2
Release: 3%{?dist}
Summary: sum %{name}
License: MIT
URL: https://x.org
Source: a-%{version}.tar.gz
Source5: b.tar.gz
Source: c.tar.gz
Patch: p.patch
Patch3: q.patch
Patch: r.patch
%{lua: print("Source9: lua.txt\n")}
Source10: https://x.org/a/b.tar.gz#/d.tar.gz
NoSource: 10
%if 0%{?fedora} >= 40
BuildRequires: pkgconfig(foo) >= 1.0, bar
%else
BuildRequires: never
%endif
%description
n=%{?name} v=%{?version} r=%{?release} s=%{?summary} l=%{?license} u=%{?url} S=%{SOURCE5} U=%{SOURCEURL10} %{?NAME}
%package -n bar
Summary: b
Requires: baz
%description -n bar
s2=%{summary}
%package sub
Summary: c
%description sub
%sourcelist
e.txt
%prep
%autosetup -n %{name}-%{version}
%build
make \
%if 0
  never \
%endif
  all
%changelog
* Mon Jan 01 2024 A <a@b> - 1
- x %{name}
`

func TestParseSample(t *testing.T) {
	r, err := Parse(context.Background(), testBase(t), []byte(sampleSpec), Options{File: "foo.spec", SourceDir: "/src"})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{r.Name, r.Epoch, r.Version, r.Release, r.Summary, r.License, r.URL}; !reflect.DeepEqual(got,
		[]string{"foo", "", "1.2", "3.azl4", "sum foo", "MIT", "https://x.org"}) {
		t.Errorf("facts %q", got)
	}
	wantList := []string{"Source0: a-1.2.tar.gz", "Source5: b.tar.gz", "Source6: c.tar.gz", "Source9: lua.txt",
		"Source11: e.txt", "Patch0: p.patch", "Patch3: q.patch", "Patch4: r.patch"}
	if got := r.SpectoolList(); !reflect.DeepEqual(got, wantList) {
		t.Errorf("spectool list %q, want %q", got, wantList)
	}
	if got := r.Subpackages(); !reflect.DeepEqual(got, []string{"bar", "foo-sub"}) {
		t.Errorf("subpackages %q", got)
	}
	if got := r.BuildRequires; !reflect.DeepEqual(got, []string{"pkgconfig(foo) >= 1.0", "bar"}) {
		t.Errorf("BuildRequires %q", got)
	}
	if got := r.Packages[1].Requires; !reflect.DeepEqual(got, []string{"baz"}) {
		t.Errorf("Requires %q", got)
	}
	for _, want := range []string{
		"n=foo v=1.2 r=3.azl4 s=sum foo l=MIT u=https://x.org S=/src/b.tar.gz U=https://x.org/a/b.tar.gz#/d.tar.gz foo\n",
		"s2=b\n", "%autosetup -n foo-1.2\n", "make \\\n  all\n", "- x foo\n",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("expanded text lacks %q:\n%s", want, r.Text)
		}
	}
	if strings.Contains(r.Text, "never") || strings.Contains(r.Text, "%if") {
		t.Errorf("false branch or conditional kept:\n%s", r.Text)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"Name: a\n%if 1\n", "x.spec:2: unclosed %if"},
		{"Name: a\n%endif\n", "x.spec:2: %endif without %if"},
		{"Name: a\n%if foo\n%endif\n", "x.spec:2: bad %if condition"},
		{"Name: a\n%{error:stop}\n", "x.spec:2: stop"},
		{"Name: a\n%include /etc/passwd\n", "outside the allowed directories"},
	} {
		_, err := Parse(context.Background(), testBase(t), []byte(tc.spec), Options{File: "x.spec", SourceDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.spec, err, tc.want)
		}
	}
}

func TestSplitDeps(t *testing.T) {
	got := splitDeps("a >= 1, b (c or d) e")
	want := []string{"a >= 1", "b", "(c or d)", "e"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitDeps = %q, want %q", got, want)
	}
}

func TestLogicalLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"a\nb", []string{"a", "b"}},
		{"a \\\nb\nc", []string{"a \\\nb", "c"}},
		{"a \\\\\nb", []string{"a \\\\", "b"}},
		{"%{x\n}y\nz", []string{"%{x\n}y", "z"}},
		{"%{a {b\n} c\n}\nd", []string{"%{a {b\n} c\n}", "d"}},
		{"{ %(echo (\n) )\n%[1 +\n2]\ne", []string{"{ %(echo (\n) )", "%[1 +\n2]", "e"}},
		{"%%{x\ny", []string{"%%{x", "y"}},
		{"%{x \\}\n}\ny", []string{"%{x \\}\n}", "y"}},
		{"%{open", []string{"%{open"}},
	} {
		p := &parser{stack: []*source{{lines: splitLines(tc.in)}}}
		var got []string
		for l, ok := p.nextLogical(); ok; l, ok = p.nextLogical() {
			got = append(got, l)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBuildArchPass checks rpm's second pass over specs whose main package
// has a BuildArch tag, and the Lua source lists, against rpm 4.18.
func TestBuildArchPass(t *testing.T) {
	for _, tc := range []struct {
		spec    string
		release string
		sources []string
	}{
		{`%global early %{?version}
%{lua: n = (n or 0) + 1}
Name: foo
Version: 1.2
Release: %{lua: print(n)}
Source0: a-%{early}.tar.gz
BuildArch: noarch
%ifarch noarch
Source1: only-noarch.txt
%endif
Source2: %{lua: print(#sources)}
%description
`, "2", []string{"Source0: a-1.2.tar.gz", "Source1: only-noarch.txt", "Source2: 2"}},
		{`Name: foo
Version: 1
Release: 1
Source0: a.tar.gz
Source3: b.tar.gz
Patch2: p.patch
%{lua: print("Source9: " .. #sources .. "-" .. #source_nums .. "-" .. #patch_nums .. "\n")}
%description
`, "1", []string{"Source0: a.tar.gz", "Source3: b.tar.gz", "Source9: 2-2-1", "Patch2: p.patch"}},
	} {
		r, err := Parse(context.Background(), testBase(t), []byte(tc.spec), Options{File: "x.spec"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Release != tc.release || !reflect.DeepEqual(r.SpectoolList(), tc.sources) {
			t.Errorf("release %q, sources %q; want %q, %q", r.Release, r.SpectoolList(), tc.release, tc.sources)
		}
	}
	r, err := Parse(context.Background(), testBase(t), []byte("Name: a\nPatch 7: a.patch\nPatch 9: b.patch\n%Package\tdevel\n"), Options{})
	if err != nil || !reflect.DeepEqual(r.SpectoolList(), []string{"Patch0: a.patch", "Patch1: b.patch"}) ||
		!reflect.DeepEqual(r.Subpackages(), []string{"a-devel"}) {
		t.Errorf("got %v, %q, %q", err, r.SpectoolList(), r.Subpackages())
	}
	if _, err := Parse(context.Background(), testBase(t), []byte("Name: a\nBuildArch: s390x\n"), Options{}); err == nil ||
		!strings.Contains(err.Error(), "No compatible architectures") {
		t.Errorf("incompatible BuildArch: %v", err)
	}
}
