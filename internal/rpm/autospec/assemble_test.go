package autospec

import "testing"

func TestProcessBytes(t *testing.T) {
	res := Result{Number: 7, Changelog: []string{"* E1\n- one", "* E2\n- two"}}
	blk := block(res.Changelog...)
	for _, tc := range []struct{ name, in, want string }{
		{"CRLF becomes LF", "Release: %autorelease\r\n%changelog\r\n%autochangelog\r\nold\r\n",
			header(7) + "Release: %autorelease\n%changelog\n" + blk},
		{"CR alone ends a line", "Release: %autorelease\r%changelog\r%autochangelog",
			header(7) + "Release: %autorelease\n%changelog\n" + blk},
		{"unterminated %changelog line runs into the block", "Release: %autorelease\n%autochangelog\n%changelog",
			header(7) + "Release: %autorelease\n%autochangelog\n%changelog" + blk},
		{"no %changelog, last line unterminated", "Release: 1\nlast",
			"## START: Set by rpmautospec\n## (rpmautospec version 0.8.3)\n## RPMAUTOSPEC: autochangelog\n## END: Set by rpmautospec\n\n" +
				"Release: 1\nlast\n%changelog\n" + blk},
		{"autorelease only keeps everything", "Release: %autorelease\n%changelog\n* old\n- x\n",
			"## START: Set by rpmautospec\n## (rpmautospec version 0.8.3)\n## RPMAUTOSPEC: autorelease\n" +
				header(7)[len("## START: Set by rpmautospec\n## (rpmautospec version 0.8.3)\n## RPMAUTOSPEC: autorelease, autochangelog\n"):] +
				"Release: %autorelease\n%changelog\n* old\n- x\n"},
		{"bytes that are not UTF-8 survive", "Summary: caf\xe9\nRelease: %autorelease\n%changelog\n%autochangelog\n",
			header(7) + "Summary: caf\xe9\nRelease: %autorelease\n%changelog\n" + blk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ProcessBytes([]byte(tc.in), res)
			if !ok {
				t.Fatal("not processed")
			}
			checkText(t, string(got), tc.want)
		})
	}
}

func TestProcessBytesUntouched(t *testing.T) {
	in := []byte("Release: 1\n%changelog\n* old\n")
	if out, ok := ProcessBytes(in, Result{}); ok || string(out) != string(in) {
		t.Errorf("got %q, %v", out, ok)
	}
}
