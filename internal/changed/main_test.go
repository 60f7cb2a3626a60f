package changed_test

import (
	"os"
	"testing"
)

// TestMain keeps the in-process CLI runs' caches out of the user's cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azldev-changed-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("AZLDEV_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
