package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleRendersOffline is the README's main job: the example distro's
// bundled upstream is set up by its own script and every component renders
// with no network, an upstream one with its synthetic history and
// rpmautospec changelog; a second run changes nothing and --check-only
// passes.
func TestExampleRendersOffline(t *testing.T) {
	example, err := filepath.Abs("../../examples/tinydistro")
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := exec.Command("git", "-C", example, "rev-parse", "--is-shallow-repository").Output(); strings.TrimSpace(string(out)) == "true" {
		t.Skip("a shallow clone has no lock history to render from")
	}
	e := newEnv(t)
	useExampleUpstream(t, e)
	out := filepath.Join(t.TempDir(), "specs")
	e.mustAzldev(example, "component", "render", "-a", "-o", out, "--force")
	spec, err := os.ReadFile(filepath.Join(out, "f", "fortune-tiny", "fortune-tiny.spec"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## RPMAUTOSPEC: autorelease, autochangelog", "Summary: Prints a short saying (tinydistro)",
		"* Thu Jan 15 2026 Bo Maintainer <bo@upstream.invalid> - 1.1-1\n- Update to 1.1\n- new sayings\n"} {
		if !strings.Contains(string(spec), want) {
			t.Errorf("rendered spec lacks %q:\n%s", want, spec)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "f", "fortune-tiny", "README.packit")); err == nil {
		t.Error("a file the spec does not use was kept")
	}
	stdout := e.mustAzldev(example, "-O", "json", "component", "render", "-a", "-o", out, "--force")
	if strings.Contains(stdout, `"changed": true`) {
		t.Errorf("a second render changed output:\n%s", stdout)
	}
	e.mustAzldev(example, "component", "render", "-a", "-o", out, "--check-only")
	if q := e.mustAzldev(example, "-O", "json", "component", "query", "fortune-tiny", "hello"); !strings.Contains(q, `"release": "1.tiny1"`) ||
		!strings.Contains(q, `"subpackages": [
      "hello-doc"
    ]`) {
		t.Errorf("component query:\n%s", q)
	}
	os.WriteFile(filepath.Join(out, "h", "hello", "hello.spec"), []byte("edited\n"), 0o644)
	if _, stderr, code := e.azldev(example, "component", "render", "-a", "-o", out, "--check-only"); code != 1 || !strings.Contains(stderr, "1 component(s) would change: hello") {
		t.Errorf("--check-only after a hand edit: exit %d\n%s", code, stderr)
	}
}

// useExampleUpstream builds the example distro's bundled upstream dist-git
// and gives e the environment its setup script prints (URL mapping,
// macros), as the README's main job does.
func useExampleUpstream(t *testing.T, e *env) {
	t.Helper()
	example, err := filepath.Abs("../../examples/tinydistro")
	if err != nil {
		t.Fatal(err)
	}
	setup, err := exec.Command(filepath.Join(example, "setup-upstream")).Output()
	if err != nil {
		t.Fatalf("setup-upstream: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(setup)), "\n") {
		k, v, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		e.set(k, v)
	}
}
