package macro

import (
	"strconv"
	"strings"
	"testing"
)

// TestUndefinedProbes checks long runs of %{?name} references, which may
// skip the name lookups, against rpm's results.
func TestUndefinedProbes(t *testing.T) {
	var run strings.Builder
	for i := range 1000 {
		run.WriteString("%{?pfx" + strconv.Itoa(i) + "}")
	}
	run.WriteString("%{?other}%{?pfx07}")
	probes := run.String()
	b := hermeticBase(t)
	for _, tc := range []struct{ defs, want string }{
		{"", ""},
		{"%define pfx7 seven\n", "seven"},
		{"%define pfx999 a\n%define pfx3 b\n", "ba"},
		{"%define pfx1000 no\n", ""},
		{"%define pfx07 z\n", "z"},
		{"%define other o\n", "o"},
		{"%define pfx5 x\n%undefine pfx5\n", ""},
	} {
		got, err := expandWith(t, b, tc.defs+probes)
		if err != nil || strings.TrimLeft(got, "\n") != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.defs, got, err, tc.want)
		}
	}
	if v, ok := probeRuns.Load(len(probes)); !ok || v.(*probeRun).text != probes {
		t.Error("the run of probes was not recognised")
	}
	if parseProbeRun(probes+"%{?x:y}") != nil || parseProbeRun(probes+"%{?define}") != nil {
		t.Error("a text that is not a run of probes was taken for one")
	}
}
