// Package cache is a persistent cache of loaded configurations, so that a
// command about one component does not pay for the whole tree.
//
// Load keys a cache file on the project root, the load options and the
// running executable. The file holds
//
//   - the freshness manifest (manifest.go): every file the load read and
//     every directory an include glob could match files in, as stat saw them;
//   - the skeleton: the merged Config without its components, in the codec
//     of codec.go;
//   - the component index: sorted names, each with its declaring file and
//     its merged, path-resolved ComponentConfig, encoded on its own.
//
// When every manifest entry still stats the same (a few hundred stats, however
// many components there are), the Config is rebuilt from the skeleton, and a
// component is decoded only when asked for (binary search, one read). A
// damaged or stale file is a miss: the configuration is loaded in full and the
// cache rewritten; a problem found later, while decoding a component, falls
// back to a full load the same way. Only successful loads are cached; their
// warnings are stored and returned again.
//
// The components are stored decoded rather than as their TOML text: that
// is what a full load produced (so nothing depends on cutting a file into
// per-component text correctly), and it decodes several times faster.
//
// $AZLDEV_NO_CACHE=1 (any value but 0) disables the cache. Cache files live in
// $AZLDEV_CACHE_DIR (an absolute path; see cacheDir), by default
// <user cache dir>/azldev, never in the project.
package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/cachedir"
)

const (
	cacheMagic     = "AZLCFG\x00\x03"
	cacheHeaderLen = 48
	entryLen       = 20 // nameOff, file, blobOff, blobLen, blobCRC (uint32 each)
	// cacheMaxAge is when unused cache files are removed.
	cacheMaxAge = 14 * 24 * time.Hour
)

// singleDecodes is how many components are decoded one by one before the
// rest are decoded together (a command is visiting all of them). A variable
// for tests.
var singleDecodes = 32

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Load is config.Load backed by the configuration cache. On a hit the
// returned Config has every field but Components and ComponentFiles, which
// are filled only by its LoadComponents; use its Component, HasComponent,
// ComponentNames and ComponentFile to read single components. On a miss it
// is config.Load, after which the cache is written.
func Load(opts config.Options) (*config.Config, error) {
	root, err := config.FindRoot(opts.StartDir)
	if err != nil {
		return nil, err
	}
	path, warning := cachePath(root, opts)
	c, err := load(path, root, opts)
	if err != nil {
		return nil, err
	}
	if warning != "" {
		c.Warnings = append(slices.Clip(c.Warnings), warning)
	}
	return c, nil
}

func load(path, root string, opts config.Options) (*config.Config, error) {
	if path == "" {
		return config.LoadRoot(root, opts, nil)
	}
	if c := openCache(path, root, opts); c != nil {
		return c, nil
	}
	rec := newRecorder()
	c, err := config.LoadRoot(root, opts, rec)
	if err != nil {
		return nil, err
	}
	_ = writeCache(path, c, rec) // a cache that cannot be written is only slower
	return c, nil
}

// cachePath returns the cache file for a root and options, or "" when
// caching is off, and a warning about the cache's settings, or "".
func cachePath(root string, opts config.Options) (path, warning string) {
	if v := os.Getenv("AZLDEV_NO_CACHE"); v != "" && v != "0" {
		return "", ""
	}
	dir, warning := cachedir.Root()
	exe := cachedir.ExecutableIdentity()
	if dir == "" || exe == "" {
		return "", warning
	}
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	field(cacheMagic)
	field(runtime.Version())
	field(exe)
	sum := defaultsSum()
	field(string(sum[:]))
	field(root)
	field(opts.UserConfig)
	field(fmt.Sprint(opts.NoDefaults, opts.Permissive))
	field(opts.HostArch)
	for _, f := range opts.ExtraFiles {
		abs, err := filepath.Abs(f)
		if err != nil {
			return "", warning
		}
		field(abs)
	}
	return filepath.Join(dir, "config-"+hex.EncodeToString(h.Sum(nil))+".bin"), warning
}

// defaultsSum is the hash of the embedded defaults, part of the cache key.
var defaultsSum = sync.OnceValue(func() [sha256.Size]byte { return sha256.Sum256(config.EmbeddedDefaults()) })

// cacheHeader is the fixed-size start of a cache file. The sections follow
// it in this order: manifest, skeleton, index (entries, then names), blobs.
type cacheHeader struct {
	manifestLen, manifestCRC uint32
	skeletonLen, skeletonCRC uint32
	indexLen, indexCRC       uint32
	count                    uint32 // components
	namesLen                 uint32
	blobsLen                 uint32
}

func (h *cacheHeader) marshal() []byte {
	b := append(make([]byte, 0, cacheHeaderLen), cacheMagic...)
	for _, v := range []uint32{h.manifestLen, h.manifestCRC, h.skeletonLen, h.skeletonCRC, h.indexLen, h.indexCRC, h.count, h.namesLen, h.blobsLen} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return append(b, make([]byte, cacheHeaderLen-len(b))...)
}

func parseHeader(b []byte) (cacheHeader, bool) {
	if len(b) < cacheHeaderLen || string(b[:len(cacheMagic)]) != cacheMagic {
		return cacheHeader{}, false
	}
	var v [9]uint32
	for i := range v {
		v[i] = binary.LittleEndian.Uint32(b[len(cacheMagic)+4*i:])
	}
	h := cacheHeader{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]}
	if uint64(h.count)*entryLen+uint64(h.namesLen) != uint64(h.indexLen) {
		return cacheHeader{}, false
	}
	return h, true
}

// skeleton is the cached part of a Config besides its components.
type skeleton struct {
	Config *config.Config // Components and ComponentFiles are nil
	Files  []string
}

// entry is one component of the index.
type entry struct {
	nameOff, file, blobOff, blobLen, blobCRC uint32
}

// lazyComponents serves the components of a Config rebuilt from the cache:
// it is the Config's config.ComponentStore.
type lazyComponents struct {
	cfg      *config.Config // the Config it serves
	opts     config.Options
	path     string   // the cache file
	f        *os.File // kept open: a rewrite replaces the name, not this file
	blobBase int64
	count    int
	blobsLen uint32
	entries  string // count × entryLen bytes
	allNames string // the names, concatenated in sorted order
	files    []string

	mu       sync.Mutex
	decoded  map[string]*config.ComponentConfig
	singles  int
	complete bool
	fellBack bool // the cache proved unusable (for tests)
}

func (z *lazyComponents) entry(i int) entry {
	b := z.entries[i*entryLen : (i+1)*entryLen]
	u := func(k int) uint32 {
		return uint32(b[k]) | uint32(b[k+1])<<8 | uint32(b[k+2])<<16 | uint32(b[k+3])<<24
	}
	return entry{u(0), u(4), u(8), u(12), u(16)}
}

func (z *lazyComponents) name(i int) string {
	start := z.entry(i).nameOff
	end := uint32(len(z.allNames))
	if i+1 < z.count {
		end = z.entry(i + 1).nameOff
	}
	if start > end || end > uint32(len(z.allNames)) {
		return "" // only a corrupt index; its CRC makes that unlikely
	}
	return z.allNames[start:end]
}

// blob returns where an entry's encoded component is, or false when it lies outside the blobs.
func (z *lazyComponents) blob(e entry) (off int64, ok bool) {
	if uint64(e.blobOff)+uint64(e.blobLen) > uint64(z.blobsLen) || int(e.file) >= len(z.files) {
		return 0, false
	}
	return z.blobBase + int64(e.blobOff), true
}

// find binary-searches the sorted index.
func (z *lazyComponents) find(name string) (int, bool) {
	lo, hi := 0, z.count
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if z.name(mid) < name {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < z.count && z.name(lo) == name
}

func (z *lazyComponents) names() []string {
	out := make([]string, z.count)
	for i := range out {
		out[i] = z.name(i)
	}
	return out
}

// openCache returns the cached configuration when the cache file is intact
// and fresh, or nil.
// readSections reads and checks the header and the metadata sections
// (manifest, skeleton, index) of a cache file whose size matches them.
func readSections(f *os.File) (cacheHeader, []byte, bool) {
	hb := make([]byte, cacheHeaderLen)
	if _, err := f.ReadAt(hb, 0); err != nil {
		return cacheHeader{}, nil, false
	}
	h, ok := parseHeader(hb)
	if !ok {
		return cacheHeader{}, nil, false
	}
	fi, err := f.Stat()
	meta := int64(h.manifestLen) + int64(h.skeletonLen) + int64(h.indexLen)
	if err != nil || fi.Size() != cacheHeaderLen+meta+int64(h.blobsLen) {
		return cacheHeader{}, nil, false
	}
	buf := make([]byte, meta)
	if _, err := f.ReadAt(buf, cacheHeaderLen); err != nil {
		return cacheHeader{}, nil, false
	}
	mb, sb, ib := buf[:h.manifestLen], buf[h.manifestLen:h.manifestLen+h.skeletonLen], buf[h.manifestLen+h.skeletonLen:]
	if crc32c(mb) != h.manifestCRC || crc32c(sb) != h.skeletonCRC || crc32c(ib) != h.indexCRC {
		return cacheHeader{}, nil, false
	}
	return h, buf, true
}

func openCache(path, root string, opts config.Options) (c *config.Config) {
	defer func() {
		if recover() != nil { // a malformed file is only a miss
			c = nil
		}
	}()
	f, err := openRegular(path)
	if err != nil {
		return nil
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
		}
	}()
	h, buf, ok := readSections(f)
	if !ok {
		return nil
	}
	meta := int64(len(buf))
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	// buf is never written again: decoded strings share its storage.
	s := unsafe.String(unsafe.SliceData(buf), len(buf))
	ms, ss, is := s[:h.manifestLen], s[h.manifestLen:h.manifestLen+h.skeletonLen], s[h.manifestLen+h.skeletonLen:]
	var m manifest
	if decodeValue(ms, &m) != nil {
		return nil
	}
	fresh, settled := m.fresh(time.Now())
	if !fresh {
		return nil
	}
	var sk skeleton
	if decodeValue(ss, &sk) != nil || sk.Config == nil || sk.Config.RootFile != root {
		return nil
	}
	z := &lazyComponents{
		opts: opts, path: path, f: f, blobBase: cacheHeaderLen + meta,
		count: int(h.count), entries: is[:h.count*entryLen], allNames: is[h.count*entryLen:],
		blobsLen: h.blobsLen, files: sk.Files, decoded: map[string]*config.ComponentConfig{},
	}
	keep = true
	if time.Since(fi.ModTime()) > time.Hour {
		now := time.Now() // in use: keep it from being pruned
		_ = os.Chtimes(path, now, now)
	}
	if settled {
		_ = rewriteManifest(path, &m, h, buf[h.manifestLen:], f)
	}
	c = sk.Config
	z.cfg = c
	c.SetComponentStore(z)
	return c
}

// errNotRegular is returned by openRegular for anything but a regular file.
var errNotRegular = errors.New("config cache: not a regular file")

// openRegular opens a cache file for reading only when it is a regular file:
// a FIFO in its place must not block the tool, a symbolic link is not ours.
// The path is checked with Lstat, opened without blocking (see openFlags),
// and the open file must be the one checked.
func openRegular(path string) (*os.File, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !before.Mode().IsRegular() {
		return nil, errNotRegular
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || !os.SameFile(before, fi) {
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}
