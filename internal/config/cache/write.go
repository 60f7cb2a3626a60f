package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
)

var errNotCacheable = errors.New("config cache: load not cacheable")

// cacheSections are the parts of a cache file.
type cacheSections struct {
	manifest, skeleton []byte
	entries, names     []byte
	count              int
	blobs              io.Reader
	blobsLen           int64
}

// writeCache stores a fully loaded configuration with what rec observed.
func writeCache(path string, c *config.Config, rec *recorder) error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.bad {
		return errNotCacheable
	}
	m := rec.manifest()
	ms, err := encodeValue(&m)
	if err != nil {
		return err
	}
	if c.ComponentStore() != nil {
		return errNotCacheable // only a full load is written
	}
	sk := *c
	sk.Components, sk.ComponentFiles = nil, nil

	// The index: sorted names, each with its declaring file and its encoded configuration.
	names := slices.Sorted(maps.Keys(c.ComponentFiles))
	var files []string
	fileIdx := map[string]int{}
	entries := make([]byte, 0, len(names)*entryLen)
	var allNames []byte
	var enc encoder // the blobs, one after the other
	for _, n := range names {
		f := c.ComponentFiles[n]
		if _, ok := fileIdx[f]; !ok {
			fileIdx[f] = len(files)
			files = append(files, f)
		}
	}
	enc.buf = make([]byte, 0, 64*len(names)) // encoded components are small: spare most regrowth
	for _, n := range names {
		f := c.ComponentFiles[n]
		cc, ok := c.Components[n]
		if !ok {
			return errNotCacheable
		}
		start := len(enc.buf)
		if err := enc.encode(reflect.ValueOf(&cc).Elem()); err != nil {
			return err
		}
		if len(enc.buf) > math.MaxUint32>>1 {
			return errNotCacheable
		}
		b := enc.buf[start:]
		for _, v := range []uint32{uint32(len(allNames)), uint32(fileIdx[f]), uint32(start), uint32(len(b)), crc32c(b)} {
			entries = binary.LittleEndian.AppendUint32(entries, v)
		}
		allNames = append(allNames, n...)
	}
	blobs := enc.buf
	if len(c.Components) != len(names) {
		return errNotCacheable
	}
	skb, err := encodeValue(&skeleton{Config: &sk, Files: files})
	if err != nil {
		return err
	}
	return writeCacheFile(path, cacheSections{manifest: ms, skeleton: skb, entries: entries, names: allNames,
		count: len(names), blobs: bytes.NewReader(blobs), blobsLen: int64(len(blobs))})
}

// rewriteManifest replaces the cache file with one whose manifest is m,
// copying the other sections (rest: skeleton and index; f: the old file).
func rewriteManifest(path string, m *manifest, h cacheHeader, rest []byte, f *os.File) error {
	ms, err := encodeValue(m)
	if err != nil {
		return err
	}
	old := int64(cacheHeaderLen) + int64(h.manifestLen) + int64(len(rest))
	idx := rest[h.skeletonLen:]
	return writeCacheFile(path, cacheSections{manifest: ms, skeleton: rest[:h.skeletonLen],
		entries: idx[:h.count*entryLen], names: idx[h.count*entryLen:], count: int(h.count),
		blobs: io.NewSectionReader(f, old, int64(h.blobsLen)), blobsLen: int64(h.blobsLen)})
}

func crc32c(b []byte) uint32 { return crc32.Checksum(b, crcTable) }

// writeCacheFile writes a cache file atomically: to a temporary file in
// the same directory, renamed over the old one. Concurrent writers each
// rename a complete file, so readers see one or the other.
func writeCacheFile(path string, s cacheSections) error {
	for _, n := range []int{len(s.manifest), len(s.skeleton), len(s.entries) + len(s.names)} {
		if n > math.MaxUint32>>1 {
			return errNotCacheable
		}
	}
	if s.blobsLen > math.MaxUint32>>1 {
		return errNotCacheable
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	pruneCache(dir)
	index := append(slices.Clip(s.entries), s.names...)
	h := cacheHeader{
		manifestLen: uint32(len(s.manifest)), manifestCRC: crc32c(s.manifest),
		skeletonLen: uint32(len(s.skeleton)), skeletonCRC: crc32c(s.skeleton),
		indexLen: uint32(len(index)), indexCRC: crc32c(index),
		count: uint32(s.count), namesLen: uint32(len(s.names)), blobsLen: uint32(s.blobsLen),
	}
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		for _, b := range [][]byte{h.marshal(), s.manifest, s.skeleton, index} {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		if n, err := io.Copy(w, s.blobs); err != nil || n != s.blobsLen {
			return errors.Join(err, errNotCacheable)
		}
		return nil
	})
}

// maxCacheFiles bounds the number of cache files kept (each project, set of
// options and build of azldev has its own).
const maxCacheFiles = 64

// pruneCache removes cache files unused for cacheMaxAge, the least recently
// used beyond maxCacheFiles, and temporary files left by interrupted writers.
// (A cache file's modification time is refreshed when it is used.)
func pruneCache(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		used time.Time
	}
	var keep []file
	now := time.Now()
	for _, e := range entries {
		name := strings.TrimPrefix(e.Name(), ".") // temporary files are hidden
		if !strings.HasPrefix(name, "config-") || e.IsDir() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		p := filepath.Join(dir, e.Name())
		switch {
		case strings.Contains(name, ".tmp-"): // left by an interrupted write
			if now.Sub(fi.ModTime()) > time.Hour {
				os.Remove(p)
			}
		case !strings.HasSuffix(name, ".bin"):
		case now.Sub(fi.ModTime()) > cacheMaxAge:
			os.Remove(p)
		default:
			keep = append(keep, file{p, fi.ModTime()})
		}
	}
	if len(keep) < maxCacheFiles {
		return
	}
	slices.SortFunc(keep, func(a, b file) int { return b.used.Compare(a.used) })
	for _, f := range keep[maxCacheFiles-1:] { // room for the one being written
		os.Remove(f.path)
	}
}
