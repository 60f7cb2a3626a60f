//go:build unix

package cache

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/config"
)

// TestCacheFIFO puts a FIFO where the cache file goes: the load must not
// block on it (nothing ever writes to it) and must still succeed.
func TestCacheFIFO(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	root, _ := config.FindRoot(dir)
	path := cacheFile(root, opts)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() {
		c, err := Load(opts)
		if err == nil && c.FromCache() {
			err = errors.New("served from a FIFO")
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		// Unblock the opener so that the test binary can finish.
		if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("the load blocked on a FIFO in place of the cache file")
	}
	// The miss rewrote the cache: a regular file replaced the FIFO.
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("cache file not rewritten: %v %v", fi, err)
	}
	expect(t, opts, true)
}
