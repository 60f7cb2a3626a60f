package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

var errCacheText = errors.New("config cache: component text does not match the index")

// component returns one component, decoding it (or its file) on first use.
func (z *lazyComponents) component(c *Config, name string) (*ComponentConfig, bool, error) {
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
	text := make([]byte, e.blobLen)
	if _, err := z.f.ReadAt(text, off); err != nil || crc32c(text) != e.blobCRC {
		return z.fallback(c, name)
	}
	comps, err := z.decode(text, e.file, map[string]bool{name: true})
	if err != nil {
		return z.fallback(c, name)
	}
	for n, cc := range comps {
		z.decoded[n] = cc
	}
	return comps[name], true, nil
}

// decode decodes a blob of the file with index fileRef and checks that it
// declares exactly want (a whole file: at least want).
func (z *lazyComponents) decode(text []byte, fileRef uint32, want map[string]bool) (map[string]*ComponentConfig, error) {
	file := z.files[fileRef&^wholeFileFlag]
	var f *File
	if fileRef&wholeFileFlag != 0 {
		// The file as the loader decodes it; its warnings were replayed already.
		l := &loader{cfg: &Config{}, opts: z.opts}
		var err error
		if f, err = l.decode(file, text); err != nil {
			return nil, err
		}
		for n := range want {
			if _, ok := f.Components[n]; !ok {
				return nil, errCacheText
			}
		}
	} else {
		f = &File{}
		dec := toml.NewDecoder(bytes.NewReader(text))
		if !z.opts.Permissive {
			dec.DisallowUnknownFields()
		}
		if err := dec.Decode(f); err != nil {
			return nil, err
		}
		if len(f.Components) != len(want) {
			return nil, errCacheText
		}
		for n := range f.Components {
			if !want[n] {
				return nil, errCacheText
			}
		}
	}
	if file != embeddedName { // the embedded defaults are merged without path resolution
		resolvePaths(f, filepath.Dir(file), z.opts.HostArch)
	}
	return f.Components, nil
}

func (z *lazyComponents) loadAll(c *Config) error {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.loadAllLocked(c)
}

// loadAllLocked decodes every component not decoded yet, in parallel batches
// of one file's texts, and fills c.Components and c.ComponentFiles.
func (z *lazyComponents) loadAllLocked(c *Config) error {
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

	// Batches: a whole file once, or consecutive texts of one file.
	type batch struct {
		file uint32
		text []byte
		want map[string]bool
	}
	var batches []*batch
	open := map[uint32]*batch{} // file → batch being filled
	whole := map[uint32]bool{}  // whole-file blob offset seen
	files := make(map[string]string, z.count)
	for i := range z.count {
		e, name := z.entry(i), z.name(i)
		if _, ok := z.blob(e); !ok || name == "" {
			return fail()
		}
		files[name] = z.files[e.file&^wholeFileFlag]
		text := blobs[e.blobOff : e.blobOff+e.blobLen]
		if crc32c(text) != e.blobCRC {
			return fail()
		}
		if _, done := z.decoded[name]; done {
			continue
		}
		if e.file&wholeFileFlag != 0 {
			if !whole[e.blobOff] {
				whole[e.blobOff] = true
				batches = append(batches, &batch{file: e.file, text: text, want: map[string]bool{}})
			}
			continue
		}
		b := open[e.file]
		if b == nil || len(b.text)+len(text) > batchBytes {
			b = &batch{file: e.file, want: map[string]bool{}}
			open[e.file] = b
			batches = append(batches, b)
		}
		b.text = append(b.text, text...)
		b.want[name] = true
	}

	results := make([]map[string]*ComponentConfig, len(batches))
	errs := make([]error, len(batches))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(batches)) {
		wg.Go(func() {
			for i := range work {
				results[i], errs[i] = z.decode(batches[i].text, batches[i].file, batches[i].want)
			}
		})
	}
	for i := range batches {
		work <- i
	}
	close(work)
	wg.Wait()
	if errors.Join(errs...) != nil {
		return fail()
	}
	all := make(map[string]*ComponentConfig, z.count)
	for i, r := range results {
		for n, cc := range r {
			if files[n] != z.files[batches[i].file&^wholeFileFlag] {
				return fail()
			}
			all[n] = cc
		}
	}
	for n, cc := range z.decoded {
		all[n] = cc // keep what callers already hold
	}
	if len(all) != z.count {
		return fail()
	}
	c.Components, c.ComponentFiles = all, files
	z.complete, z.decoded = true, nil
	return nil
}

// fallback serves components from a full load when the cache turns out to be
// unusable after all (it is then removed). It returns the named component.
func (z *lazyComponents) fallback(c *Config, name string) (*ComponentConfig, bool, error) {
	os.Remove(z.path)
	z.fellBack = true
	full, err := load(c.RootFile, z.opts, nil)
	if err != nil {
		return nil, false, fmt.Errorf("reloading the configuration: %w", err)
	}
	c.Components, c.ComponentFiles = full.Components, full.ComponentFiles
	z.complete, z.decoded = true, nil
	cc, ok := c.Components[name]
	return cc, ok, nil
}
