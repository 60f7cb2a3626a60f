package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RunIsolated runs a package's tests with a temporary HOME, an empty git
// configuration (no user or system settings), no git prompts and private
// azldev caches, plus any extra variables; then exits with the tests' code.
func RunIsolated(m *testing.M, extra map[string]string) {
	home, err := os.MkdirTemp("", "azldev-test-home-")
	if err != nil {
		panic(err)
	}
	gitconfig := filepath.Join(home, ".gitconfig")
	if err := os.WriteFile(gitconfig, nil, 0o644); err != nil {
		panic(err)
	}
	vars := map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"GIT_CONFIG_GLOBAL": gitconfig, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
		"AZLDEV_CACHE_DIR": filepath.Join(home, "cache"),
	}
	for k, v := range extra {
		vars[k] = v
	}
	for k, v := range vars {
		os.Setenv(k, v)
	}
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}
