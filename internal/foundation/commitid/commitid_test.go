package commitid

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for _, s := range []string{"abc1234", "ABCDEF0", strings.Repeat("f", 40), "75bdae805d75b2dd9f306077c2badedfe4671d04"} {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false", s)
		}
	}
	for _, s := range []string{"", "abc123", strings.Repeat("f", 41), "--upload-pack=touch /tmp/x", "-abcdef0", "abc1234\n", "g123456", "HEAD", "0xabc1234", "abc1234^{tree}"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}
