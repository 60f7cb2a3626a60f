package macro

import (
	"strings"
	"sync"
)

// Fedora's %dist expands %{expand:%{lua:for i=0,9999 do print("%{?distprefix"
// .. i .."}") end}} in every spec: ten thousand references to macros that
// are almost never defined. A long text made only of %{?name} references
// to non-builtin macros expands to nothing, with no effect, when none of
// them is defined; undefinedProbes checks that through the table's suffix
// index instead of looking every name up.

// minProbeRun is the length from which a text is checked for being a run
// of probes.
const minProbeRun = 4096

// probeRun lists the names a run of %{?name} references probes.
type probeRun struct {
	text string
	// stems are the stems of names of the form stem<n> (see table.index).
	stems []string
	// others are the remaining names.
	others []string
}

// probeRuns caches the analysis of texts that are runs of probes, one per
// length: keying by the text itself would hash it at every use, while
// comparing it with the cached one is immediate when it is the same string
// (the cached output of the same Lua chunk).
var probeRuns sync.Map // int -> *probeRun

// undefinedProbes reports whether s is a long run of %{?name} references
// none of which is defined in t.
func undefinedProbes(t *table, s string) bool {
	if len(s) < minProbeRun || !strings.HasPrefix(s, "%{?") {
		return false
	}
	v, ok := probeRuns.Load(len(s))
	pr, _ := v.(*probeRun)
	if !ok || pr.text != s {
		if pr = parseProbeRun(s); pr == nil {
			return false
		}
		probeRuns.LoadOrStore(len(s), pr)
	}
	for _, stem := range pr.stems {
		if t.nextSuffixed(stem, -1) >= 0 {
			return false
		}
	}
	for _, name := range pr.others {
		if t.get(name) != nil {
			return false
		}
	}
	return true
}

// parseProbeRun analyses s, or returns nil when s is not made only of
// %{?name} references to plain names that are not builtins.
func parseProbeRun(s string) *probeRun {
	pr := &probeRun{text: s}
	stems := map[string]bool{}
	for len(s) > 0 {
		if !strings.HasPrefix(s, "%{?") {
			return nil
		}
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return nil
		}
		name := s[3:end]
		if !isMacroName(name) || builtins[name] != nil {
			return nil
		}
		s = s[end+1:]
		stem, ok := suffixStem(name)
		switch {
		case !ok:
			pr.others = append(pr.others, name)
		case !stems[stem]:
			stems[stem] = true
			pr.stems = append(pr.stems, stem)
		}
	}
	return pr
}

// suffixStem splits name into a stem and a number that table.index
// records (up to maxSuffix, no leading zero); ok is false otherwise.
func suffixStem(name string) (string, bool) {
	i := len(name)
	for i > 0 && isDigit(name[i-1]) {
		i--
	}
	digits := name[i:]
	if i == 0 || digits == "" || len(digits) > 4 || digits[0] == '0' && len(digits) > 1 {
		return "", false
	}
	return name[:i], true
}
