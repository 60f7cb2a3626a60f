package advanced

import "testing"

func TestSRPMName(t *testing.T) {
	for in, want := range map[string]string{
		"out/hello-1.0-1.azl4.src.rpm": "hello",
		"python-foo-bar-2-3.src.rpm":   "python-foo-bar",
		"odd.src.rpm":                  "odd",
	} {
		if got := srpmName(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
