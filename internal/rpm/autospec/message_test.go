package autospec

import (
	"slices"
	"testing"
)

func TestChangelogItems(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want []string
	}{
		{"Update to 1.1 (rhbz#123)\n\n- drop upstreamed patch\n- enable tests, 100% of them\n",
			[]string{"Update to 1.1 (rhbz#123)", "drop upstreamed patch", "enable tests, 100%% of them"}},
		{"\n\n  - Leading dash and blank lines\nsecond subject line\n", []string{"Leading dash and blank lines second subject line"}},
		{"Subject\n\nPlain body paragraph\n- not an item", []string{"Subject"}},
		{"Rework the documentation subpackage which was split into far too many\n\n... pieces and is now merged back\ninto the main package\n\n- ignored after the blank line",
			[]string{"Rework the documentation subpackage which was split into far too many pieces and is now merged back into the main package"}},
		{"Subject\n\n…continued\n- item one\n  wrapped on\n- item two\n\n- ignored", []string{"Subject continued", "item one wrapped on", "item two"}},
		{"Subject\n\n-\titem\n-", []string{"Subject", "item", ""}},
		{"-", []string{""}},
		{"", []string{""}},
		{"Subject\n\n[skip changelog]", []string{"Subject"}},
		{"Use %{pypi_source}", []string{"Use %%{pypi_source}"}},
		{"Tabs\t \n\n-\u3000wide space item\u3000", []string{"Tabs", "wide space item"}},
	} {
		if got := changelogItems(tc.msg); !slices.Equal(got, tc.want) {
			t.Errorf("changelogItems(%q)\n got %q\nwant %q", tc.msg, got, tc.want)
		}
	}
}

func TestParseMagic(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want magic
	}{
		{"Rebuild\n\n[bump release: 5]", magic{bumpRelease: 5}},
		{"Rebuild\n\n  [bump release 7, skip changelog]  ", magic{true, 7}},
		{"[bump  release:12][bump release: 3]", magic{bumpRelease: 12}},
		{"x\n[bump release: 3]\n[bump release: 2]", magic{bumpRelease: 3}},
		{"Subject [skip changelog]", magic{}},
		{"[skip changelog please]", magic{skipChangelog: true}},
		{"[skipchangelog, bump release]", magic{}},
		{"[Skip changelog]", magic{}},
		{"[bump release: \uff15]", magic{bumpRelease: 5}},
		{"[bump release: 99999999999999999999999]", magic{bumpRelease: maxInt}},
	} {
		if got := parseMagic(tc.msg); got != tc.want {
			t.Errorf("parseMagic(%q) = %+v, want %+v", tc.msg, got, tc.want)
		}
	}
}

const maxInt = int(^uint(0) >> 1)

func TestDecode(t *testing.T) {
	for in, want := range map[string]string{
		"plain é":           "plain é",
		"\xe2\x82x":         "\ufffdx",
		"\xf0\x80\x80":      "\ufffd\ufffd\ufffd",
		"\xed\xa0\x80":      "\ufffd\ufffd\ufffd",
		"\xf4\x90":          "\ufffd\ufffd",
		"a\xffb\xc3":        "a\ufffdb\ufffd",
		"keep \ufffd as is": "keep \ufffd as is",
	} {
		if got := decode([]byte(in)); got != want {
			t.Errorf("decode(%q) = %q, want %q", in, got, want)
		}
	}
}
