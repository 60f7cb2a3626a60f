package spec

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	long := strings.Repeat("x", 70*1024)

	tests := map[string]string{
		"empty":              "",
		"single newline":     "\n",
		"no final newline":   "Name: a\nVersion: 1",
		"crlf":               "Name: a\r\nVersion: 1\r\n",
		"mixed terminators":  "a\r\nb\nc\r\n\r\n",
		"final lone cr":      "Name: a\r",
		"inner lone cr":      "a\rb\n\r\n",
		"double cr":          "a\r\r\n",
		"nul and bad utf8":   "Name: \x00\xff\xfe\n%files\x00\n",
		"line over 64 KiB":   "Name: a\n" + long + "\n%files\n" + long,
		"only blank lines":   "\n\n\n",
		"header without eol": "Name: a\n%files",
	}

	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Parse([]byte(input)).Bytes(); !bytes.Equal(got, []byte(input)) {
				t.Errorf("Bytes() = %q, want %q", got, input)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"empty", "", ""},
		{"lf unchanged", "a\nb\n", "a\nb\n"},
		{"crlf to lf", "a\r\nb\r\n", "a\nb\n"},
		{"missing final newline", "a\nb", "a\nb\n"},
		{"final lone cr", "a\r", "a\n"},
		{"only one cr dropped", "a\r\r\n", "a\r\n"},
		{"inner cr kept", "a\rb\r\n", "a\rb\n"},
		{"blank crlf lines", "\r\n\r\n", "\n\n"},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Parse([]byte(tc.input))
			s.Normalize()

			if got := string(s.Bytes()); got != tc.want {
				t.Errorf("normalized = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLines(t *testing.T) {
	s := Parse([]byte("a\r\n\nc"))
	if s.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", s.Len())
	}

	for i, want := range []string{"a", "", "c"} {
		if got := s.Line(i); got != want {
			t.Errorf("Line(%d) = %q, want %q", i, got, want)
		}
	}

	var zero Spec
	if zero.Len() != 0 || len(zero.Bytes()) != 0 || len(zero.Sections()) != 1 {
		t.Errorf("zero Spec is not an empty spec with a preamble")
	}
}

// sectionSpec exercises header recognition and qualifiers.
const sectionSpec = `Name: demo
%global foo 1
#%files commented
%package -n other-tool
Summary: x
%files -f x.lang -n y
%post -p /sbin/ldconfig libs
%triggerun -- foo < 1
%description -l de devel
%Build
  %install
%files devel extra
%package -n %{name}-libs
%package -n
%changelog foo
%patchlist

%PACKAGE Up
%pac` + "\u212a" + `age kelvin
%ifarch x86_64
%sourcelist
`

func TestSections(t *testing.T) {
	want := []Section{
		{Name: "", Package: "", Start: 0, End: 3},
		{Name: "%package", Package: "other-tool", Start: 3, End: 5},
		{Name: "%files", Package: "y", Start: 5, End: 6},
		{Name: "%post", Package: "libs", Start: 6, End: 7},
		{Name: "%triggerun", Package: "", Start: 7, End: 8},
		{Name: "%description", Package: "devel", Start: 8, End: 9},
		{Name: "%Build", Package: "", Start: 9, End: 10},
		{Name: "%install", Package: "", Start: 10, End: 11},
		{Name: "%files", Package: "devel", Start: 11, End: 12},
		{Name: "%package", Package: "%{name}-libs", Start: 12, End: 13},
		{Name: "%package", Package: "", Start: 13, End: 14},
		{Name: "%changelog", Package: "", Start: 14, End: 15},
		{Name: "%patchlist", Package: "", Start: 15, End: 17},
		{Name: "%PACKAGE", Package: "Up", Start: 17, End: 18},
		{Name: "%pac\u212aage", Package: "kelvin", Start: 18, End: 20},
		{Name: "%sourcelist", Package: "", Start: 20, End: 21},
	}

	got := Parse([]byte(sectionSpec)).Sections()
	if len(got) != len(want) {
		t.Fatalf("got %d sections, want %d: %+v", len(got), len(want), got)
	}

	for i := range want {
		g := got[i]
		if g.Name != want[i].Name || g.Package != want[i].Package || g.Start != want[i].Start || g.End != want[i].End {
			t.Errorf("section %d = %+v, want %+v", i, g, want[i])
		}
	}
}

func TestSectionQueries(t *testing.T) {
	s := Parse([]byte(sectionSpec))

	if !s.HasSection("%Build") || s.HasSection("%build") || s.HasSection("%global") {
		t.Errorf("HasSection must compare names case-sensitively and only for headers")
	}

	files := s.FindSections("%files", "devel")
	if len(files) != 1 || files[0].Start != 11 {
		t.Errorf("FindSections(%%files, devel) = %+v", files)
	}

	if got := s.FindSections("%package", "Up"); len(got) != 0 {
		t.Errorf("FindSections must compare names case-sensitively, got %+v", got)
	}

	hasTags := map[string]bool{}
	for _, sec := range s.Sections() {
		hasTags[sec.Name+" "+sec.Package] = sec.HasTags()
	}

	for key, want := range map[string]bool{
		" ": true, "%package other-tool": true, "%PACKAGE Up": true, "%pac\u212aage kelvin": true,
		"%files y": false, "%description devel": false, "%changelog ": false,
	} {
		if hasTags[key] != want {
			t.Errorf("HasTags(%q) = %v, want %v", key, hasTags[key], want)
		}
	}
}

func TestQualifierOf(t *testing.T) {
	tests := map[string]string{
		"%package devel":                        "devel",
		"%package -n other-tool":                "other-tool",
		"%package -n %{name}-libs":              "%{name}-libs",
		"%files -f x -n y":                      "y",
		"%files -n y -f x":                      "y",
		"%files devel -n abs":                   "abs",
		"%post -p /sbin/ldconfig libs":          "libs",
		"%triggerun -- foo < 1":                 "",
		"%triggerin libs -- foo":                "libs",
		"%description -l de devel":              "devel",
		"%files -P x -q devel":                  "devel",
		"%package -n":                           "",
		"%files devel extra":                    "devel",
		"%post\t-p\t<lua>\tlibs":                "libs",
		"%files -n a -n b":                      "b",
		"%postun -e -n %{name}-x -- trigger -n": "%{name}-x",
	}

	for header, want := range tests {
		kind, _ := headerOf(header)
		if got := qualifierOf(kind, header); got != want {
			t.Errorf("qualifier of %q = %q, want %q", header, got, want)
		}
	}

	for _, plain := range []string{"%changelog foo", "%patchlist -n x", "%sourcelist bar"} {
		kind, _ := headerOf(plain)
		if got := qualifierOf(kind, plain); got != "" {
			t.Errorf("qualifier of %q = %q, want empty", plain, got)
		}
	}
}

func TestHeaderOf(t *testing.T) {
	tests := map[string]string{
		"%files":                          "%files",
		"%FILES -n x":                     "%FILES",
		"\t %build":                       "%build",
		"\u00a0%check":                    "%check",
		"%prep\r":                         "%prep",
		"#%files":                         "",
		" #%files":                        "",
		"%global x 1":                     "",
		"%files_extra":                    "",
		"%if 1":                           "",
		"Name: %files":                    "",
		"":                                "",
		"%":                               "",
		"%{files}":                        "",
		"%transfiletriggerpostun -- /usr": "%transfiletriggerpostun",
		"%TRANSFILETRIGGERPOSTUNX":        "",
	}

	for text, want := range tests {
		kind, name := headerOf(text)
		if (kind != kindNone) != (want != "") || name != want && want != "" {
			t.Errorf("headerOf(%q) = %v, %q; want %q", text, kind, name, want)
		}
	}
}

func TestTags(t *testing.T) {
	input := `Name:	demo
Requires(post): coreutils
#Foo: comment
  #Bar: indented comment is a tag
%{!?foo:%global foo 1}
Name : spaced
Summary:
URL:   https://x   ` + `
%description
NotATag: here
%package devel
Summary: Devel
Release: 9
%package
Release: 5
%files devel
Requires: nope
`

	s := Parse([]byte(input))

	got := s.AllTags()
	want := []Tag{
		{Name: "Name", Value: "demo", Package: "", Line: 0},
		{Name: "Requires(post)", Value: "coreutils", Package: "", Line: 1},
		{Name: "#Bar", Value: "indented comment is a tag", Package: "", Line: 3},
		{Name: "%{!?foo", Value: "%global foo 1}", Package: "", Line: 4},
		{Name: "Summary", Value: "", Package: "", Line: 6},
		{Name: "URL", Value: "https://x", Package: "", Line: 7},
		{Name: "Summary", Value: "Devel", Package: "devel", Line: 11},
		{Name: "Release", Value: "9", Package: "devel", Line: 12},
		{Name: "Release", Value: "5", Package: "", Line: 14},
	}

	if !slices.Equal(got, want) {
		t.Errorf("AllTags() =\n%+v\nwant\n%+v", got, want)
	}

	if tags := s.Tags("devel"); len(tags) != 2 || tags[0].Name != "Summary" {
		t.Errorf("Tags(devel) = %+v", tags)
	}

	lookups := []struct {
		pkg, name, first, last string
		ok                     bool
	}{
		{"", "release", "5", "5", true},
		{"", "SUMMARY", "", "", true},
		{"devel", "Release", "9", "9", true},
		{"devel", "Version", "", "", false},
		{"", "NotATag", "", "", false},
	}

	for _, l := range lookups {
		first, ok := s.TagValue(l.pkg, l.name)
		last, okLast := s.LastTagValue(l.pkg, l.name)

		if first != l.first || last != l.last || ok != l.ok || okLast != l.ok {
			t.Errorf("TagValue/LastTagValue(%q, %q) = %q/%q %v/%v, want %q/%q %v",
				l.pkg, l.name, first, last, ok, okLast, l.first, l.last, l.ok)
		}
	}
}

func TestFirstAndLastTagValue(t *testing.T) {
	s := Parse([]byte("Version: 1\nRelease: 1%{?dist}\n%if 0\nVersion: 2\nRelease: 7\n%endif\n"))

	if v, _ := s.TagValue("", "Version"); v != "1" {
		t.Errorf("first Version = %q, want 1", v)
	}

	if v, _ := s.LastTagValue("", "Release"); v != "7" {
		t.Errorf("last Release = %q, want 7", v)
	}
}

func TestParseTag(t *testing.T) {
	tests := []struct {
		text, name, value string
		ok                bool
	}{
		{"Name: foo", "Name", "foo", true},
		{"  Name:\t foo bar  ", "Name", "foo bar", true},
		{"Name:foo", "Name", "foo", true},
		{"Name:", "Name", "", true},
		{"Name :foo", "", "", false},
		{":foo", "", "", false},
		{"Name", "", "", false},
		{"#Name: foo", "", "", false},
		{" #Name: foo", "#Name", "foo", true},
		{"Source0: a:b", "Source0", "a:b", true},
		{"Name:\vfoo", "Name", "\vfoo", true},
	}

	for _, tc := range tests {
		name, value, ok := parseTag(tc.text)
		if name != tc.name || value != tc.value || ok != tc.ok {
			t.Errorf("parseTag(%q) = %q, %q, %v; want %q, %q, %v", tc.text, name, value, ok, tc.name, tc.value, tc.ok)
		}
	}
}

func TestTagFamilyAndPatchNumber(t *testing.T) {
	families := map[string]string{
		"Source9999": "source", "Patch": "patch", "Requires(post)": "requires(post)",
		"123": "123", "BuildRequires": "buildrequires", "Patch0a1": "patch0a",
	}
	for tag, want := range families {
		if got := tagFamily(tag); got != want {
			t.Errorf("tagFamily(%q) = %q, want %q", tag, got, want)
		}
	}

	numbers := map[string]int{"Patch0": 0, "patch12": 12, "PATCH007": 7, "Patch-1": -1}
	for tag, want := range numbers {
		if got, ok := patchNumber(tag); !ok || got != want {
			t.Errorf("patchNumber(%q) = %d, %v; want %d", tag, got, ok, want)
		}
	}

	for _, tag := range []string{"Patch", "Patch%{n}", "Patches1", "Source1", "Patch99999999999999999999"} {
		if _, ok := patchNumber(tag); ok {
			t.Errorf("patchNumber(%q) reported a numbered patch", tag)
		}
	}
}

func TestConditionalOf(t *testing.T) {
	tests := map[string]condKind{
		"%if 0%{?fedora}":    condOpen,
		"  %IFARCH x86_64":   condOpen,
		"%ifnarch s390x":     condOpen,
		"%ifos linux":        condOpen,
		"%ifnos darwin":      condOpen,
		"%else":              condBranch,
		"%elif 1":            condBranch,
		"%elifarch x":        condBranch,
		"%elifnarch x":       condBranch,
		"%elifos x":          condBranch,
		"%elifnos x":         condBranch,
		"%endif":             condClose,
		"\t%endif # comment": condClose,
		"# %if 1":            condNone,
		"  #%endif":          condNone,
		"%if0%{?x}":          condNone,
		"%global if 1":       condNone,
		"%{?with_x:%if}":     condNone,
	}

	for text, want := range tests {
		if got := conditionalOf(text); got != want {
			t.Errorf("conditionalOf(%q) = %v, want %v", text, got, want)
		}
	}
}
