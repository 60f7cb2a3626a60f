package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestGoldenConfigDump compares `config dump` on the Azure Linux 4 tree, in
// both formats and with each way of choosing them, byte for byte with what
// the reference printed (its project root written as {{ROOT}}).
func TestGoldenConfigDump(t *testing.T) {
	golden := testutil.SharedDir(t, "corpus/azl4-golden")
	root, err := filepath.Abs(corpusOrSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, name := range []string{"config-dump.json", "config-dump.toml"} {
		b, err := os.ReadFile(filepath.Join(golden, name))
		if err != nil {
			t.Fatal(err) // present with the rest of the golden data, or SharedDir failed
		}
		want[name] = forHostArch(t, string(b))
	}
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"config-dump.json", []string{"-f", "json"}},
		{"config-dump.json", []string{"--format=json"}},
		{"config-dump.json", []string{"-O", "json"}},
		{"config-dump.toml", []string{"-f", "toml"}},
		{"config-dump.toml", nil},
	} {
		t.Run(strings.Join(append([]string{tc.golden}, tc.args...), " "), func(t *testing.T) {
			stdout, stderr, code := run(t, append([]string{"-C", root, "-q", "config", "dump"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			sameText(t, strings.ReplaceAll(stdout, root, "{{ROOT}}"), want[tc.golden])
		})
	}
}

// forHostArch adapts the golden dump, recorded on x86_64, to the host: the
// merged mock-config is the file of the host's architecture.
func forHostArch(t *testing.T, s string) string {
	switch runtime.GOARCH {
	case "amd64":
		return s
	case "arm64":
		re := regexp.MustCompile(`((?:"mockConfig": "|mock-config = ')[^"']*-)x86_64(\.cfg)`)
		return re.ReplaceAllString(s, "${1}aarch64${2}")
	}
	t.Skipf("no golden dump for %s", runtime.GOARCH)
	return ""
}

// sameText fails with the first differing line unless got equals want.
func sameText(t *testing.T, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	g, w := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("output differs from line %d (%d vs %d lines, %d vs %d bytes):\n got: %q\nwant: %q",
				i+1, len(g), len(w), len(got), len(want), gl, wl)
		}
	}
}

// TestConfigDumpCompact checks that --compact keeps the previous, shorter
// output (no names, empty values left out, indented TOML) and that the
// default is the reference's.
func TestConfigDumpCompact(t *testing.T) {
	dir := writeProject(t, nil)
	dump := func(args ...string) string {
		t.Helper()
		stdout, stderr, code := run(t, append([]string{"-C", dir, "-q", "--no-default-config", "config", "dump"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return stdout
	}
	if js := dump("-f", "json"); !strings.Contains(js, `"a": {
      "name": "a",`) {
		t.Errorf("default JSON:\n%s", js)
	}
	if js := dump("-f", "json", "--compact"); strings.Contains(js, `"name": "a"`) || !strings.Contains(js, `"a": {
      "spec": {`) {
		t.Errorf("compact JSON:\n%s", js)
	}
	if tm := dump("--compact"); !strings.Contains(tm, "\n  [components.a]\n") || strings.HasSuffix(tm, "\n\n") {
		t.Errorf("compact TOML:\n%s", tm)
	}
	if tm := dump(); !strings.Contains(tm, "\n[components.a]\n") || !strings.HasSuffix(tm, "\n\n") {
		t.Errorf("default TOML:\n%s", tm)
	}
	_, stderr, code := run(t, "-C", dir, "config", "dump", "-f", "yaml")
	if code == 0 || !strings.Contains(stderr, `invalid --format "yaml"`) {
		t.Errorf("-f yaml: exit %d, %s", code, stderr)
	}
}
