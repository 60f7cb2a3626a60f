package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletion asks the binary for completions the way the shell scripts
// of `azldev completion` do: component names for -p and arguments, group
// names for -g, image names for image list.
func TestCompletion(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	example, err := filepath.Abs("../../examples/tinydistro")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"component", "list", "-p", ""}, "motd fortune-tiny greet hello :4"},
		{[]string{"component", "history", ""}, "motd fortune-tiny greet hello :4"},
		{[]string{"component", "update", "--component-group", ""}, "extras login :4"},
		{[]string{"component", "changed", "-g", "l"}, "extras login :4"},
		{[]string{"image", "list", ""}, "minimal :4"},
		{[]string{"advanced", "download-sources", "-p", ""}, "motd fortune-tiny greet hello :4"},
		{[]string{"component", "history", "--shared", ""}, "show omit :4"},
	} {
		out := e.mustAzldev(dir, append([]string{"__complete", "-C", example}, tc.args...)...)
		if got := strings.Join(strings.Fields(out), " "); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.args, got, tc.want)
		}
	}
	// Outside a project there is nothing to offer, and no error output.
	out, stderr, code := e.azldev(dir, "__complete", "component", "list", "-p", "")
	if code != 0 || strings.TrimSpace(out) != ":1" || strings.Contains(stderr, "ERR") {
		t.Errorf("outside a project: exit %d, %q, %q", code, out, stderr)
	}
}
