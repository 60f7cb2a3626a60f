package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/cachedir"
)

// cache remembers, per output root, each component's input key and the
// state of the files written for it, so a component whose inputs did not
// change and whose output nobody touched is not rendered again. Any doubt
// (no entry, another key, a file added, removed or modified since) means
// rendering as usual.
type cache struct {
	path    string
	mu      sync.Mutex
	entries map[string]cacheEntry
	changed bool
}

// cacheEntry is one component's remembered render.
type cacheEntry struct {
	Key   string      `json:"key"`
	Files []fileStamp `json:"files"`
	Error string      `json:"error,omitempty"` // the failure the inputs lead to
}

// fileStamp identifies a file's state without reading it.
type fileStamp struct {
	Path  string `json:"path"`
	Mode  uint32 `json:"mode"`
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime"`
	CTime int64  `json:"ctime"`
	Ino   uint64 `json:"ino"`
}

// openCache loads the cache of an output root; a missing or unreadable
// cache is an empty one. AZLDEV_NO_CACHE disables it.
func openCache(root string) *cache {
	dir, _ := cachedir.Root()
	if v := os.Getenv("AZLDEV_NO_CACHE"); dir == "" || (v != "" && v != "0") {
		return nil
	}
	sum := sha256.Sum256([]byte(root))
	c := &cache{path: filepath.Join(dir, "render", hex.EncodeToString(sum[:12])+".json"), entries: map[string]cacheEntry{}}
	if data, err := os.ReadFile(c.path); err == nil {
		_ = json.Unmarshal(data, &c.entries)
	}
	return c
}

// fresh reports whether name's output in dir is what the cache recorded
// for key, and the failure recorded with it ("" for a success).
func (c *cache) fresh(name, key, dir string) (ok bool, failure string) {
	if c == nil || key == "" {
		return false, ""
	}
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if !ok || e.Key != key {
		return false, ""
	}
	stamps, err := stampTree(dir)
	return err == nil && equalStamps(stamps, e.Files), e.Error
}

// record remembers name's output in dir under key, with the failure it
// ended in ("" for a success); an empty key forgets it.
func (c *cache) record(name, key, failure, dir string) {
	if c == nil {
		return
	}
	var e cacheEntry
	stamps, err := stampTree(dir)
	if key != "" && err == nil {
		e = cacheEntry{Key: key, Files: stamps, Error: failure}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.Key == "" {
		if _, ok := c.entries[name]; ok {
			delete(c.entries, name)
			c.changed = true
		}
		return
	}
	c.entries[name], c.changed = e, true
}

// save writes the cache when it changed.
func (c *cache) save() error {
	if c == nil || !c.changed {
		return nil
	}
	data, err := json.Marshal(c.entries)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteBytes(c.path, data, 0o644)
}

// stampTree stamps every entry below dir, in walk order.
func stampTree(dir string) ([]fileStamp, error) {
	var out []fileStamp
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		s := fileStamp{Path: rel, Mode: uint32(fi.Mode()), Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			s.CTime, s.Ino = st.Ctim.Nano(), st.Ino
		}
		if d.IsDir() {
			s.Size, s.MTime, s.CTime = 0, 0, 0 // a directory's times change with its entries, listed anyway
		}
		out = append(out, s)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no output: %w", err)
	}
	return out, err
}

func equalStamps(a, b []fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
