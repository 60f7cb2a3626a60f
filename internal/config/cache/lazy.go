package cache

import (
	"context"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"unsafe"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/parallel"
)

var _ config.ComponentStore = (*lazyComponents)(nil)

// HasComponent reports whether a component of that name is declared.
func (z *lazyComponents) HasComponent(name string) bool {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.complete {
		_, ok := z.cfg.Components[name]
		return ok
	}
	_, ok := z.find(name)
	return ok
}

// ComponentNames returns the declared component names, sorted.
func (z *lazyComponents) ComponentNames() []string {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.complete {
		return slices.Sorted(maps.Keys(z.cfg.Components))
	}
	return z.names()
}

// ComponentFile returns the file that declares a component, or "".
func (z *lazyComponents) ComponentFile(name string) string {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.complete {
		return z.cfg.ComponentFiles[name]
	}
	i, ok := z.find(name)
	if !ok {
		return ""
	}
	if f := z.entry(i).file; int(f) < len(z.files) {
		return z.files[f]
	}
	return ""
}

// Component returns one component, decoding it on first use.
func (z *lazyComponents) Component(name string) (*config.ComponentConfig, bool, error) {
	c := z.cfg
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.complete {
		cc, ok := c.Components[name]
		return cc, ok, nil
	}
	if cc, ok := z.decoded[name]; ok {
		return cc, true, nil
	}
	i, ok := z.find(name)
	if !ok {
		return nil, false, nil
	}
	if z.singles++; z.singles > singleDecodes {
		if err := z.loadAllLocked(c); err != nil {
			return nil, false, err
		}
		cc, ok := c.Components[name]
		return cc, ok, nil
	}
	e := z.entry(i)
	off, ok := z.blob(e)
	if !ok {
		return z.fallback(c, name)
	}
	b := make([]byte, e.blobLen)
	if _, err := z.f.ReadAt(b, off); err != nil {
		return z.fallback(c, name)
	}
	cc, err := decodeComponent(b, e)
	if err != nil {
		return z.fallback(c, name)
	}
	z.decoded[name] = cc
	return cc, true, nil
}

// decodeComponent checks and decodes one component's blob (which it then owns).
func decodeComponent(b []byte, e entry) (*config.ComponentConfig, error) {
	if crc32c(b) != e.blobCRC {
		return nil, errCodec
	}
	var cc *config.ComponentConfig
	if err := decodeValue(unsafe.String(unsafe.SliceData(b), len(b)), &cc); err != nil || cc == nil {
		return nil, errCodec
	}
	return cc, nil
}

// LoadComponents decodes every component not decoded yet and fills the
// Config's Components and ComponentFiles.
func (z *lazyComponents) LoadComponents() error {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.loadAllLocked(z.cfg)
}

// loadAllLocked decodes every component not decoded yet and fills
// c.Components and c.ComponentFiles.
func (z *lazyComponents) loadAllLocked(c *config.Config) error {
	if z.complete {
		return nil
	}
	fail := func() error {
		_, _, err := z.fallback(c, "")
		return err
	}
	blobs := make([]byte, z.blobsLen)
	if _, err := z.f.ReadAt(blobs, z.blobBase); err != nil {
		return fail()
	}
	names := make([]string, z.count)
	comps := make([]*config.ComponentConfig, z.count)
	files := make(map[string]string, z.count)
	for i := range z.count {
		e, name := z.entry(i), z.name(i)
		if _, ok := z.blob(e); !ok || name == "" {
			return fail()
		}
		names[i] = name
		files[name] = z.files[e.file]
	}
	// Decode in parallel, one contiguous range of the index per worker.
	workers := max(1, min(runtime.GOMAXPROCS(0), z.count/1024))
	_, err := parallel.Map(context.Background(), parallel.Split(z.count, workers), parallel.Options{Limit: workers},
		func(_ context.Context, _ int, r parallel.Range) (struct{}, error) {
			for i := r.Lo; i < r.Hi; i++ {
				if cc, ok := z.decoded[names[i]]; ok {
					comps[i] = cc // keep what callers already hold
					continue
				}
				e := z.entry(i)
				cc, err := decodeComponent(blobs[e.blobOff:e.blobOff+e.blobLen:e.blobOff+e.blobLen], e)
				if err != nil {
					return struct{}{}, err
				}
				comps[i] = cc
			}
			return struct{}{}, nil
		})
	if err != nil {
		return fail()
	}
	all := make(map[string]*config.ComponentConfig, z.count)
	for i, n := range names {
		all[n] = comps[i]
	}
	if len(all) != z.count || len(files) != z.count {
		return fail()
	}
	c.Components, c.ComponentFiles = all, files
	z.complete, z.decoded = true, nil
	return nil
}

// fallback serves components from a full load when the cache turns out to be
// unusable after all (it is then removed). It returns the named component.
func (z *lazyComponents) fallback(c *config.Config, name string) (*config.ComponentConfig, bool, error) {
	os.Remove(z.path)
	z.fellBack = true
	full, err := config.LoadRoot(c.RootFile, z.opts, nil)
	if err != nil {
		return nil, false, fmt.Errorf("reloading the configuration: %w", err)
	}
	c.Components, c.ComponentFiles = full.Components, full.ComponentFiles
	z.complete, z.decoded = true, nil
	cc, ok := c.Components[name]
	return cc, ok, nil
}
