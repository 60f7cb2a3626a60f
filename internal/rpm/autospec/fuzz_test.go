package autospec

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzChangelogItems(f *testing.F) {
	f.Add("Update to 1.1 (rhbz#123)\n\n- drop upstreamed patch\n- enable tests, 100% of them\n")
	f.Add("Subject\n\n... continued\n- item\n\n[bump release: 5, skip changelog]")
	f.Fuzz(func(t *testing.T, msg string) {
		items := changelogItems(msg)
		if len(items) == 0 {
			t.Fatal("no items")
		}
		for _, item := range items {
			if strings.Contains(item, "\n") || strings.Count(item, "%")%2 != 0 {
				t.Fatalf("item %q from %q", item, msg)
			}
		}
		m := parseMagic(msg)
		if m.bumpRelease < 0 {
			t.Fatalf("bump %d from %q", m.bumpRelease, msg)
		}
	})
}

func FuzzWrap(f *testing.F) {
	f.Add("- body bullet one with a very-long-hyphenated-compound-word-that-wraps-at-the-hyphen-positions-somewhere")
	f.Add("- tab\there -- em-dash, " + strings.Repeat("x", 90))
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			text = decode([]byte(text)) // items are always decoded text
		}
		out := wrap(text)
		for i, line := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(line) > wrapWidth {
				t.Fatalf("line %d longer than %d: %q", i+1, wrapWidth, line)
			}
			if i > 0 && !strings.HasPrefix(line, wrapIndent) {
				t.Fatalf("line %d not indented: %q", i+1, line)
			}
		}
		// Only white space is added or dropped.
		if dropSpace(out) != dropSpace(text) {
			t.Fatalf("text changed:\n in %q\nout %q", text, out)
		}
	})
}

// dropSpace removes every white-space character.
func dropSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
}
