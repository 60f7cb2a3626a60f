package cli

import (
	"os"
	"testing"
)

// TestMain keeps the tests' configuration and download caches out of the
// user's cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azldev-cli-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("AZLDEV_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
