package autospec

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	r := strings.Repeat
	for _, tc := range []struct{ in, want string }{
		// The verified examples of RPMAUTOSPEC.md §2.8.
		{"- Migrate the license tag to SPDX and also fix a number of small packaging issues that fedora-review found during the package review",
			"- Migrate the license tag to SPDX and also fix a number of small packaging\n  issues that fedora-review found during the package review"},
		{"- body bullet one with a very-long-hyphenated-compound-word-that-wraps-at-the-hyphen-positions-somewhere",
			"- body bullet one with a very-long-hyphenated-compound-word-that-wraps-at-\n  the-hyphen-positions-somewhere"},
		{"- Verylongtokenwithoutanybreakopportunity_Verylongtokenwithoutanybreakopportunity_Verylongtoken",
			"- Verylongtokenwithoutanybreakopportunity_Verylongtokenwithoutanybreakoppor\n  tunity_Verylongtoken"},
		// An empty item keeps its dash; short text is one line.
		{"- ", "-"},
		{"- short", "- short"},
		// Hyphen breaks need two letters before and a letter after.
		{"- " + r("x", 60) + " very-long-word and x86-64 fedora#123-2 -foo",
			"- " + r("x", 60) + " very-long-\n  word and x86-64 fedora#123-2 -foo"},
		{"- " + r("a", 66) + " x86-64-bit", "- " + r("a", 66) + "\n  x86-64-bit"},
		{"- " + r("a", 68) + " a-b-cd", "- " + r("a", 68) + " a-b-\n  cd"},
		// Em-dashes are chunks of their own.
		{"- Hello there -- you goof-ball, use the -b option! And " + r("w", 30),
			"- Hello there -- you goof-ball, use the -b option! And\n  " + r("w", 30)},
		{"- " + r("n", 70) + "---" + r("p", 20), "- " + r("n", 70) + "---\n  " + r("p", 20)},
		// Tabs expand to multiples of eight; trailing white space goes.
		{"- tab\there\tand\tthere " + r("y ", 40),
			"- tab   here    and     there " + r("y ", 22) + "y\n  " + r("y ", 16) + "y"},
		// A full line before a broken long word loses its trailing space.
		{"- " + r("z", 72) + " " + r("q", 80), "- " + r("z", 72) + "\n  " + r("q", 73) + "\n  " + r("q", 7)},
		// Non-ASCII white space is part of words, but counts as blank at line ends.
		{"- " + r("k", 40) + " \u3000 " + r("m", 40), "- " + r("k", 40) + " \u3000\n  " + r("m", 40)},
		// A long run of hyphens is cut at the width.
		{"- " + r("-", 100), "- " + r("-", 73) + "\n  " + r("-", 27)},
	} {
		if got := wrap(tc.in); got != tc.want {
			t.Errorf("wrap(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitChunks(t *testing.T) {
	for in, want := range map[string]string{
		"Look, goof-ball -- use the -b option!": "Look,| |goof-|ball| |--| |use| |the| |-b| |option!",
		"very-long-word":                        "very-|long-|word",
		"a-b-c a-b-cd":                          "a-b-c| |a-b-|cd",
		"x86-64 fedora#123-2 -foo":              "x86-64| |fedora#123-2| |-foo",
		"word--word ,--x":                       "word|--|word| |,|--|x",
		"  lead":                                "  |lead",
	} {
		var parts []string
		for _, c := range splitChunks([]rune(in)) {
			parts = append(parts, string(c))
		}
		if got := strings.Join(parts, "|"); got != want {
			t.Errorf("splitChunks(%q) = %q, want %q", in, got, want)
		}
	}
}
