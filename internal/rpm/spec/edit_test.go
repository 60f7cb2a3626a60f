package spec

import (
	"errors"
	"strings"
	"testing"
)

// baseSpec is a small multi-package spec used by the editing tests.
const baseSpec = `Name: foo
Version: 1.0
Release: 1%{?dist}
Source0: a.tar.gz
%if %{with x}
Source1: b.tar.gz
%endif
BuildRequires: gcc
BuildRequires: make

%description
Foo.

%package devel
Summary: Devel
Requires: foo

%description devel
Devel.

%check
make check

%files
/usr/bin/foo

%files devel
/usr/include/foo.h
`

// editCase is one editing operation applied to an input spec.
type editCase struct {
	name    string
	input   string
	op      func(*Spec) error
	want    string // expected output when err is nil
	err     error  // expected wrapped error
	message string // expected error message, when checked
}

// runEditCases applies each case's operation and checks output or error.
func runEditCases(t *testing.T, cases []editCase) {
	t.Helper()

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Parse([]byte(tc.input))
			err := tc.op(s)

			switch {
			case tc.err != nil || tc.message != "":
				if tc.err != nil && !errors.Is(err, tc.err) {
					t.Fatalf("error = %v, want %v", err, tc.err)
				}

				if err == nil || tc.message != "" && err.Error() != tc.message {
					t.Fatalf("error = %v, want message %q", err, tc.message)
				}

				if got := string(s.Bytes()); got != tc.input {
					t.Errorf("failed edit changed the spec:\n%s", got)
				}
			case err != nil:
				t.Fatalf("unexpected error: %v", err)
			default:
				if got := string(s.Bytes()); got != tc.want {
					t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
				}
			}
		})
	}
}

// replaceOnce returns s with old replaced by new, panicking when old is absent.
func replaceOnce(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("test fixture lacks " + old)
	}

	return strings.Replace(s, old, new, 1)
}

func TestAddTag(t *testing.T) {
	twice := "Name: x\n%if 1\n%package a\nSummary: A\n%else\n%package a\nSummary: B\n%endif\n%description a\n"

	runEditCases(t, []editCase{
		{
			name: "main package after trailing blank line", input: baseSpec,
			op:   func(s *Spec) error { return s.AddTag("", "BuildRequires", "x") },
			want: replaceOnce(baseSpec, "make\n\n%description\n", "make\n\nBuildRequires: x\n%description\n"),
		},
		{
			name: "sub-package", input: baseSpec,
			op:   func(s *Spec) error { return s.AddTag("devel", "Provides", "bar") },
			want: replaceOnce(baseSpec, "Requires: foo\n\n", "Requires: foo\n\nProvides: bar\n"),
		},
		{
			name: "duplicate tags are added", input: "Name: x\n",
			op:   func(s *Spec) error { return s.AddTag("", "Name", "x") },
			want: "Name: x\nName: x\n",
		},
		{
			name: "every occurrence of the package section", input: twice,
			op:   func(s *Spec) error { return s.AddTag("a", "Provides", "p") },
			want: "Name: x\n%if 1\n%package a\nSummary: A\n%else\nProvides: p\n%package a\nSummary: B\n%endif\nProvides: p\n%description a\n",
		},
		{
			name: "empty preamble", input: "%description\nx\n",
			op:   func(s *Spec) error { return s.AddTag("", "Name", "x") },
			want: "Name: x\n%description\nx\n",
		},
		{
			name: "missing final newline", input: "Name: x",
			op:   func(s *Spec) error { return s.AddTag("", "Version", "1") },
			want: "Name: x\nVersion: 1\n",
		},
		{
			name: "crlf input keeps untouched terminators", input: "Name: x\r\n\r\n%files\r\n",
			op:   func(s *Spec) error { return s.AddTag("", "Version", "1") },
			want: "Name: x\r\n\r\nVersion: 1\n%files\r\n",
		},
		{
			name: "package -n form", input: "Name: x\n%package -n lib%{name}\n%description -n lib%{name}\n",
			op:   func(s *Spec) error { return s.AddTag("lib%{name}", "Summary", "s") },
			want: "Name: x\n%package -n lib%{name}\nSummary: s\n%description -n lib%{name}\n",
		},
		{
			name: "missing sub-package", input: baseSpec,
			op:      func(s *Spec) error { return s.AddTag("ghost", "Summary", "s") },
			err:     ErrSectionNotFound,
			message: "section `%package` (package=`ghost`) not found: section not found",
		},
	})
}

func TestInsertTag(t *testing.T) {
	nested := "Name: x\n%if 1\n%if 2\nSource0: a\n%endif\nSource1: b\n%endif\nBuildRequires: y\n\n%description\n"
	unclosed := "Name: x\n%if 1\nSource0: a\n%description\n%endif\n"
	stray := "%endif\nName: x\n%if 1\nSource0: a\n%endif\n%description\n"

	runEditCases(t, []editCase{
		{
			name: "after same family, below the enclosing endif", input: baseSpec,
			op:   func(s *Spec) error { return s.InsertTag("", "Source9999", "m") },
			want: replaceOnce(baseSpec, "%endif\n", "%endif\nSource9999: m\n"),
		},
		{
			name: "after last tag of the family", input: baseSpec,
			op:   func(s *Spec) error { return s.InsertTag("", "buildrequires", "z") },
			want: replaceOnce(baseSpec, "BuildRequires: make\n", "BuildRequires: make\nbuildrequires: z\n"),
		},
		{
			name: "after last tag when no family member", input: baseSpec,
			op:   func(s *Spec) error { return s.InsertTag("", "License", "MIT") },
			want: replaceOnce(baseSpec, "BuildRequires: make\n", "BuildRequires: make\nLicense: MIT\n"),
		},
		{
			name: "sub-package", input: baseSpec,
			op:   func(s *Spec) error { return s.InsertTag("devel", "Requires", "bar") },
			want: replaceOnce(baseSpec, "Requires: foo\n", "Requires: foo\nRequires: bar\n"),
		},
		{
			name: "no tags falls back to add", input: "%package a\n\n%description a\n",
			op:   func(s *Spec) error { return s.InsertTag("a", "Summary", "s") },
			want: "%package a\n\nSummary: s\n%description a\n",
		},
		{
			name: "nested conditionals move below the outermost endif", input: nested,
			op:   func(s *Spec) error { return s.InsertTag("", "Source2", "c") },
			want: replaceOnce(nested, "%endif\nBuildRequires", "%endif\nSource2: c\nBuildRequires"),
		},
		{
			name: "endif beyond the section end keeps the spot", input: unclosed,
			op:   func(s *Spec) error { return s.InsertTag("", "Source1", "b") },
			want: "Name: x\n%if 1\nSource0: a\nSource1: b\n%description\n%endif\n",
		},
		{
			name: "depth counted from the top of the file", input: stray,
			op:   func(s *Spec) error { return s.InsertTag("", "Source1", "b") },
			want: replaceOnce(stray, "Source0: a\n", "Source0: a\nSource1: b\n"),
		},
		{
			name: "all-digit tag is its own family", input: "123: a\nName: x\n",
			op:   func(s *Spec) error { return s.InsertTag("", "123", "b") },
			want: "123: a\n123: b\nName: x\n",
		},
		{
			name: "missing sub-package", input: baseSpec,
			op:  func(s *Spec) error { return s.InsertTag("ghost", "Summary", "s") },
			err: ErrSectionNotFound,
		},
	})
}

func TestSetUpdateTag(t *testing.T) {
	bothRewritten := replaceOnce(baseSpec, "BuildRequires: gcc\nBuildRequires: make\n",
		"buildrequires: replaced\nbuildrequires: replaced\n")

	runEditCases(t, []editCase{
		{
			name: "set rewrites every occurrence in the overlay's spelling", input: baseSpec,
			op:   func(s *Spec) error { return s.SetTag("", "buildrequires", "replaced") },
			want: bothRewritten,
		},
		{
			name: "set adds a missing tag", input: baseSpec,
			op:   func(s *Spec) error { return s.SetTag("devel", "License", "MIT") },
			want: replaceOnce(baseSpec, "Requires: foo\n\n", "Requires: foo\n\nLicense: MIT\n"),
		},
		{
			name: "set only touches the package", input: baseSpec,
			op:   func(s *Spec) error { return s.SetTag("devel", "Summary", "New") },
			want: replaceOnce(baseSpec, "Summary: Devel", "Summary: New"),
		},
		{
			name: "update rewrites alignment", input: "Name:\t\tfoo\nRelease:   1\n",
			op:   func(s *Spec) error { return s.UpdateTag("", "Release", "2") },
			want: "Name:\t\tfoo\nRelease: 2\n",
		},
		{
			name: "update rewrites every occurrence", input: baseSpec,
			op:   func(s *Spec) error { return s.UpdateTag("", "buildrequires", "replaced") },
			want: bothRewritten,
		},
		{
			name: "update covers an unqualified %package", input: "Release: 1\n%package\nRelease: 2\n",
			op:   func(s *Spec) error { return s.UpdateTag("", "Release", "3") },
			want: "Release: 3\n%package\nRelease: 3\n",
		},
		{
			name: "update of an absent tag", input: baseSpec,
			op:      func(s *Spec) error { return s.UpdateTag("", "Vendor", "x") },
			err:     ErrNoSuchTag,
			message: "tag `Vendor` not found in spec: no such tag",
		},
		{
			name: "update ignores other packages", input: baseSpec,
			op:  func(s *Spec) error { return s.UpdateTag("devel", "Name", "x") },
			err: ErrNoSuchTag,
		},
		{
			name: "set in a missing sub-package", input: baseSpec,
			op:  func(s *Spec) error { return s.SetTag("ghost", "Summary", "x") },
			err: ErrSectionNotFound,
		},
	})
}

func TestRemoveTag(t *testing.T) {
	conditional := "Name: x\n%if 1\nRequires: a\n%endif\n"

	runEditCases(t, []editCase{
		{
			name: "all occurrences", input: baseSpec,
			op:   func(s *Spec) error { return s.RemoveTag("", "BUILDREQUIRES", "") },
			want: replaceOnce(baseSpec, "BuildRequires: gcc\nBuildRequires: make\n", ""),
		},
		{
			name: "only the matching value, case-insensitive and trimmed", input: baseSpec,
			op:   func(s *Spec) error { return s.RemoveTag("", "BuildRequires", " MAKE ") },
			want: replaceOnce(baseSpec, "BuildRequires: make\n", ""),
		},
		{
			name: "sub-package only", input: baseSpec,
			op:   func(s *Spec) error { return s.RemoveTag("devel", "Summary", "") },
			want: replaceOnce(baseSpec, "Summary: Devel\n", ""),
		},
		{
			name: "conditionals stay", input: conditional,
			op:   func(s *Spec) error { return s.RemoveTag("", "Requires", "") },
			want: "Name: x\n%if 1\n%endif\n",
		},
		{
			name: "wrong value", input: baseSpec,
			op:      func(s *Spec) error { return s.RemoveTag("", "BuildRequires", "clang") },
			err:     ErrNoSuchTag,
			message: "tag `BuildRequires` with value `clang` not found in spec: no such tag",
		},
		{
			name: "absent tag", input: baseSpec,
			op:  func(s *Spec) error { return s.RemoveTag("devel", "Name", "") },
			err: ErrNoSuchTag,
		},
	})
}

func TestPrependAppendLines(t *testing.T) {
	twice := "Name: x\n%if 1\n%check\na\n%else\n%check\nb\n%endif\n"

	runEditCases(t, []editCase{
		{
			name: "prepend after the header", input: baseSpec,
			op:   func(s *Spec) error { return s.PrependLines("%check", "", []string{"# skip", "exit 0", ""}) },
			want: replaceOnce(baseSpec, "%check\n", "%check\n# skip\nexit 0\n\n"),
		},
		{
			name: "prepend to a %package section", input: baseSpec,
			op:   func(s *Spec) error { return s.PrependLines("%package", "devel", []string{"Provides: p"}) },
			want: replaceOnce(baseSpec, "%package devel\n", "%package devel\nProvides: p\n"),
		},
		{
			name: "prepend to every occurrence", input: twice,
			op:   func(s *Spec) error { return s.PrependLines("%check", "", []string{"exit 0"}) },
			want: "Name: x\n%if 1\n%check\nexit 0\na\n%else\n%check\nexit 0\nb\n%endif\n",
		},
		{
			name: "prepend to the whole file", input: baseSpec,
			op:   func(s *Spec) error { return s.PrependLines("", "", []string{"# top"}) },
			want: "# top\n" + baseSpec,
		},
		{
			name: "append after trailing blank lines", input: baseSpec,
			op:   func(s *Spec) error { return s.AppendLines("%files", "", []string{"/usr/bin/bar"}) },
			want: replaceOnce(baseSpec, "/usr/bin/foo\n\n", "/usr/bin/foo\n\n/usr/bin/bar\n"),
		},
		{
			name: "append to every occurrence", input: twice,
			op:   func(s *Spec) error { return s.AppendLines("%check", "", []string{"c"}) },
			want: "Name: x\n%if 1\n%check\na\n%else\nc\n%check\nb\n%endif\nc\n",
		},
		{
			name: "append to the last section without final newline", input: "%files\n/a",
			op:   func(s *Spec) error { return s.AppendLines("%files", "", []string{"/b"}) },
			want: "%files\n/a\n/b\n",
		},
		{
			name: "append to the whole file", input: baseSpec,
			op:   func(s *Spec) error { return s.AppendLines("", "", []string{"# end", ""}) },
			want: baseSpec + "# end\n\n",
		},
		{
			name: "embedded newlines and carriage returns are split", input: "%files\n",
			op:   func(s *Spec) error { return s.AppendLines("%files", "", []string{"/a\r\n/b\r", "/c\rd"}) },
			want: "%files\n/a\n/b\n/c\rd\n",
		},
		{
			name: "missing section", input: baseSpec,
			op:      func(s *Spec) error { return s.PrependLines("%check", "devel", []string{"x"}) },
			err:     ErrSectionNotFound,
			message: "section `%check` (package=`devel`) not found: section not found",
		},
		{
			name: "append to a missing section", input: baseSpec,
			op:  func(s *Spec) error { return s.AppendLines("%verify", "", []string{"x"}) },
			err: ErrSectionNotFound,
		},
		{
			name: "names compare case-sensitively", input: baseSpec,
			op:  func(s *Spec) error { return s.AppendLines("%Check", "", []string{"x"}) },
			err: ErrSectionNotFound,
		},
		{
			name: "package without section", input: baseSpec,
			op:  func(s *Spec) error { return s.PrependLines("", "devel", []string{"x"}) },
			err: errPackageWithoutSection,
		},
		{
			name: "append with package without section", input: baseSpec,
			op:  func(s *Spec) error { return s.AppendLines("", "devel", []string{"x"}) },
			err: errPackageWithoutSection,
		},
	})
}

func TestSearchReplace(t *testing.T) {
	runEditCases(t, []editCase{
		{
			name: "whole file, literal replacement", input: baseSpec,
			op:   func(s *Spec) error { return s.SearchReplace("", "", `Build(Requires)`, "$1") },
			want: strings.ReplaceAll(baseSpec, "BuildRequires", "$1"),
		},
		{
			name: "anchors apply per line", input: baseSpec,
			op:   func(s *Spec) error { return s.SearchReplace("", "", `^Requires: (.*)$`, "X") },
			want: replaceOnce(baseSpec, "Requires: foo\n", "X\n"),
		},
		{
			name: "section without package covers every package", input: baseSpec,
			op:   func(s *Spec) error { return s.SearchReplace("%files", "", `^/usr`, "/opt") },
			want: strings.ReplaceAll(baseSpec, "\n/usr/", "\n/opt/"),
		},
		{
			name: "section and package", input: baseSpec,
			op:   func(s *Spec) error { return s.SearchReplace("%files", "devel", `usr`, "opt") },
			want: replaceOnce(baseSpec, "/usr/include", "/opt/include"),
		},
		{
			name: "header lines are never modified", input: baseSpec,
			op:  func(s *Spec) error { return s.SearchReplace("", "", `^%(files|check)`, "%X") },
			err: ErrPatternNotFound,
		},
		{
			name: "replacement forming a header ends the scope", input: "%build\nmake\n%%install\nmake\n",
			op:   func(s *Spec) error { return s.SearchReplace("%build", "", `^%%install|make`, "%install") },
			want: "%build\n%install\n%%install\nmake\n",
		},
		{
			name: "replacement with a newline splits the line", input: "%build\nmake\n",
			op:   func(s *Spec) error { return s.SearchReplace("", "", `make`, "a\r\nb") },
			want: "%build\na\nb\n",
		},
		{
			name: "no match", input: baseSpec,
			op:      func(s *Spec) error { return s.SearchReplace("%check", "", `nothing`, "x") },
			err:     ErrPatternNotFound,
			message: "pattern `nothing` not found (section=`%check`, package=``): pattern not found",
		},
		{
			name: "invalid regex", input: baseSpec,
			op:  func(s *Spec) error { return s.SearchReplace("", "", `(`, "x") },
			err: nil, message: "invalid regex `(`: error parsing regexp: missing closing ): `(`",
		},
	})
}

func TestRemoveSection(t *testing.T) {
	wrapped := "Name: x\n%if %{with docs}\n%files doc\n/doc\n%endif\n\n%files\n/bin\n"
	opener := "Name: x\n%files foo\n/foo\n\n%if 0\n%files bar\n/bar\n%endif\n"
	branch := "Name: x\n%if 1\n%check\na\n%else\nb\n%endif\n"
	inner := "Name: x\n%check\n%if 1\na\n%else\nb\n%endif\n\n%files\n"
	content := "Name: x\n%check\n%if 1\na\n%files\n/a\n%endif\n"

	runEditCases(t, []editCase{
		{
			name: "plain section with its trailing blank line", input: baseSpec,
			op:   func(s *Spec) error { return s.RemoveSection("%check", "") },
			want: replaceOnce(baseSpec, "%check\nmake check\n\n", ""),
		},
		{
			name: "wrapped section leaves an empty conditional", input: wrapped,
			op:   func(s *Spec) error { return s.RemoveSection("%files", "doc") },
			want: "Name: x\n%if %{with docs}\n%endif\n\n%files\n/bin\n",
		},
		{
			name: "opener of the next section stays", input: opener,
			op:   func(s *Spec) error { return s.RemoveSection("%files", "foo") },
			want: "Name: x\n%if 0\n%files bar\n/bar\n%endif\n",
		},
		{
			name: "conditional wholly inside goes with the section", input: inner,
			op:   func(s *Spec) error { return s.RemoveSection("%check", "") },
			want: "Name: x\n%files\n",
		},
		{
			name: "branch of an outer conditional", input: branch,
			op:      func(s *Spec) error { return s.RemoveSection("%check", "") },
			err:     ErrConditionalSpansSections,
			message: "section at lines 3-7: conditional block spans across section boundaries",
		},
		{
			name: "content after a straddling opener", input: content,
			op:  func(s *Spec) error { return s.RemoveSection("%check", "") },
			err: ErrConditionalSpansSections,
		},
		{
			name: "unmatched if", input: "Name: x\n%if 1\n%check\n",
			op:      func(s *Spec) error { return s.RemoveSection("%check", "") },
			message: "unmatched %if at line 2",
		},
		{
			name: "unmatched endif", input: "Name: x\n%check\n%endif\n",
			op:      func(s *Spec) error { return s.RemoveSection("%check", "") },
			message: "unmatched %endif at line 3",
		},
		{
			name: "missing section", input: baseSpec,
			op:  func(s *Spec) error { return s.RemoveSection("%check", "devel") },
			err: ErrSectionNotFound,
		},
		{
			name: "preamble", input: baseSpec,
			op:      func(s *Spec) error { return s.RemoveSection("", "") },
			message: "cannot remove the preamble",
		},
	})
}

func TestRemoveSubpackage(t *testing.T) {
	wrapped := "Name: x\n%if 1\n%package -n lib\nSummary: l\n%description -n lib\nL.\n%endif\n\n%files\n/a\n%files -n lib\n/l\n"

	runEditCases(t, []editCase{
		{
			name: "every section of the sub-package", input: baseSpec,
			op: func(s *Spec) error { return s.RemoveSubpackage("devel") },
			want: replaceOnce(replaceOnce(baseSpec,
				"%package devel\nSummary: Devel\nRequires: foo\n\n%description devel\nDevel.\n\n", ""),
				"\n%files devel\n/usr/include/foo.h\n", "\n"),
		},
		{
			name: "absolute name inside a conditional", input: wrapped,
			op:   func(s *Spec) error { return s.RemoveSubpackage("lib") },
			want: "Name: x\n%if 1\n%endif\n\n%files\n/a\n",
		},
		{
			name: "scripts and triggers qualify too", input: "Name: x\n%post -p /sbin/ldconfig libs\n%triggerun libs -- foo < 1\nx\n%files\n",
			op:   func(s *Spec) error { return s.RemoveSubpackage("libs") },
			want: "Name: x\n%files\n",
		},
		{
			name: "missing", input: baseSpec,
			op:      func(s *Spec) error { return s.RemoveSubpackage("ghost") },
			err:     ErrSectionNotFound,
			message: "sub-package `ghost` not found: section not found",
		},
		{
			name: "empty name", input: baseSpec,
			op:      func(s *Spec) error { return s.RemoveSubpackage("") },
			message: "cannot remove a sub-package with an empty name",
		},
	})
}

func TestPatches(t *testing.T) {
	bare := "Name: x\nPatch: a.patch\nPatch: b.patch\nPatch: c.patch\nPatch1: d.patch\n\n%description\n"
	numbered := "Name: x\nPatch3: a.patch\n%package sub\nPatch10: b.patch\n%description sub\n"
	patchlist := "Name: x\n%prep\n%patchlist\nfix-1.patch\n  fix-2.patch  \n\n%changelog\n"

	runEditCases(t, []editCase{
		{
			name: "first patch is Patch0", input: baseSpec,
			op:   func(s *Spec) error { return s.PatchAddSpec("", "new.patch") },
			want: replaceOnce(baseSpec, "make\n\n%description\n", "make\n\nPatch0: new.patch\n%description\n"),
		},
		{
			name: "bare Patch tags count from zero", input: bare,
			op:   func(s *Spec) error { return s.PatchAddSpec("", "e.patch") },
			want: replaceOnce(bare, "\n\n%description", "\n\nPatch3: e.patch\n%description"),
		},
		{
			name: "highest number in any package", input: numbered,
			op:   func(s *Spec) error { return s.PatchAddSpec("", "c.patch") },
			want: replaceOnce(numbered, "Patch3: a.patch\n", "Patch3: a.patch\nPatch11: c.patch\n"),
		},
		{
			name: "sub-package target", input: numbered,
			op:   func(s *Spec) error { return s.PatchAddSpec("sub", "c.patch") },
			want: replaceOnce(numbered, "Patch10: b.patch\n", "Patch10: b.patch\nPatch11: c.patch\n"),
		},
		{
			name: "patchlist gets the file name", input: patchlist,
			op:   func(s *Spec) error { return s.PatchAddSpec("", "fix-3.patch") },
			want: replaceOnce(patchlist, "\n\n%changelog", "\n\nfix-3.patch\n%changelog"),
		},
		{
			name: "remove numbered tags in any package", input: numbered,
			op:   func(s *Spec) error { return s.PatchRemoveSpec("*.patch") },
			want: "Name: x\n%package sub\n%description sub\n",
		},
		{
			name: "bare Patch tags are never removed", input: bare,
			op:   func(s *Spec) error { return s.PatchRemoveSpec("*.patch") },
			want: replaceOnce(bare, "Patch1: d.patch\n", ""),
		},
		{
			name: "patchlist entries match trimmed", input: patchlist,
			op:   func(s *Spec) error { return s.PatchRemoveSpec("fix-2.*") },
			want: replaceOnce(patchlist, "  fix-2.patch  \n", ""),
		},
		{
			name: "doublestar glob", input: "Patch0: dir/sub/a.patch\nPatch1: b.patch\n",
			op:   func(s *Spec) error { return s.PatchRemoveSpec("**/a.patch") },
			want: "Patch1: b.patch\n",
		},
		{
			name: "nothing matched", input: bare,
			op:      func(s *Spec) error { return s.PatchRemoveSpec("a.patch") },
			err:     ErrNoPatchMatched,
			message: "no patches matching `a.patch` found in spec: no patch reference matched",
		},
		{
			name: "invalid glob", input: numbered,
			op:      func(s *Spec) error { return s.PatchRemoveSpec("[") },
			message: "invalid glob `[`: syntax error in pattern",
		},
		{
			name: "add to a missing sub-package", input: numbered,
			op:  func(s *Spec) error { return s.PatchAddSpec("ghost", "c.patch") },
			err: ErrSectionNotFound,
		},
	})
}

func TestBumpRelease(t *testing.T) {
	bump := func(n int, strict bool) func(*Spec) error {
		return func(s *Spec) error {
			_, err := s.BumpRelease(n, strict)

			return err
		}
	}

	runEditCases(t, []editCase{
		{
			name: "dist suffix kept", input: "Name: x\nRelease:   5%{?dist}\n",
			op: bump(1, true), want: "Name: x\nRelease: 6%{?dist}\n",
		},
		{
			name: "every main Release line rewritten from the last one", input: "%if 1\nRelease: 1\n%else\nRelease: 4%{dist}\n%endif\n%package a\nRelease: 9\n",
			op: bump(3, false), want: "%if 1\nRelease: 7%{dist}\n%else\nRelease: 7%{dist}\n%endif\n%package a\nRelease: 9\n",
		},
		{
			name: "autorelease is left alone", input: "Release: %autorelease\n",
			op: bump(2, false), want: "Release: %autorelease\n",
		},
		{
			name: "autorelease in strict mode", input: "Release: %{autorelease -b 2}\n",
			op: bump(2, true), err: ErrAutorelease,
		},
		{
			name: "non-standard release", input: "Release: 0.1%{?dist}\n",
			op: bump(1, false), err: ErrNonStandardRelease,
		},
		{
			name: "no Release tag", input: "Name: x\n",
			op: bump(1, false), err: ErrNoSuchTag,
		},
	})
}

func TestReleaseHelpers(t *testing.T) {
	autorelease := map[string]bool{
		"%autorelease": true, "%autorelease -b 2": true, "%{autorelease}": true,
		"%{?autorelease}": true, "%{autorelease -e asan}": true,
		"%{?autorelease}%{!?autorelease:1%{?dist}}": true,
		"1%{?dist}": false, "%autoreleasex": false, "%{autoreleasex}": false, "autorelease": false,
	}
	for value, want := range autorelease {
		if got := UsesAutorelease(value); got != want {
			t.Errorf("UsesAutorelease(%q) = %v, want %v", value, got, want)
		}
	}

	bumps := map[string]string{"1": "3", "5%{?dist}": "7%{?dist}", "09%{dist}": "11%{dist}"}
	for value, want := range bumps {
		if got, err := BumpStaticRelease(value, 2); err != nil || got != want {
			t.Errorf("BumpStaticRelease(%q, 2) = %q, %v; want %q", value, got, err, want)
		}
	}

	for _, value := range []string{"0.1%{?dist}", "%{pkg_release}", "1%{?dist}.1", "", "99999999999999999999"} {
		if _, err := BumpStaticRelease(value, 1); !errors.Is(err, ErrNonStandardRelease) {
			t.Errorf("BumpStaticRelease(%q) error = %v, want ErrNonStandardRelease", value, err)
		}
	}
}

func TestNextPatchNumber(t *testing.T) {
	tests := map[string]int{
		"Name: x\n":                                         0,
		"Patch: a\n":                                        1,
		"Patch: a\nPatch: b\nPatch0: c\n":                   2,
		"Patch9: a\nPatch: b\n":                             10,
		"Patch%{n}: a\nPatches: b\nPatch-3: c\n":            0,
		"%package a\nPatch4: x\n%description\nPatch9: no\n": 5,
	}

	for input, want := range tests {
		if got := Parse([]byte(input)).NextPatchNumber(); got != want {
			t.Errorf("NextPatchNumber(%q) = %d, want %d", input, got, want)
		}
	}
}
