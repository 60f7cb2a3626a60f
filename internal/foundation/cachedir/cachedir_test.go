package cachedir

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestRoot(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("AZLDEV_CACHE_DIR", "/abs/cache/")
	if d, w := Root(); d != "/abs/cache" || w != "" {
		t.Errorf("absolute: %q %q", d, w)
	}
	t.Setenv("AZLDEV_CACHE_DIR", "rel/cache")
	d, w := Root()
	if d != filepath.Join(home, ".cache", "azldev") || !strings.Contains(w, "not an absolute path") {
		t.Errorf("relative: %q %q", d, w)
	}
	t.Setenv("AZLDEV_CACHE_DIR", "")
	if d, w := Root(); d != filepath.Join(home, ".cache", "azldev") || w != "" {
		t.Errorf("default: %q %q", d, w)
	}
}
