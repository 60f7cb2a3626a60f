package cache

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/cachedir"
	"github.com/azlforge/azldev/internal/testutil"
)

func writeTree(t *testing.T, files map[string]string) string { return testutil.WriteTree(t, files) }

func corpusOrSkip(tb testing.TB) string { return testutil.CorpusDir(tb) }

// cacheFile is the cache file of a root and options (without cachePath's warning).
func cacheFile(root string, opts config.Options) string {
	p, _ := cachePath(root, opts)
	return p
}

// useCache points the cache at a fresh directory and returns it.
func useCache(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AZLDEV_CACHE_DIR", dir)
	t.Setenv("AZLDEV_NO_CACHE", "")
	return dir
}

// plain returns c's exported fields, for comparison without its cache state.
func plain(c *config.Config) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.IsExported() {
			out[f.Name] = v.Field(i).Interface()
		}
	}
	return out
}

// store returns the cache's component store behind c, or nil.
func store(c *config.Config) *lazyComponents {
	z, _ := c.ComponentStore().(*lazyComponents)
	return z
}

// sameConfig fails unless got, completed, equals want deeply.
func sameConfig(t *testing.T, want, got *config.Config) {
	t.Helper()
	if err := got.LoadComponents(); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(plain(want), plain(got)) {
		return
	}
	w, g := want, got
	for _, n := range slices.Sorted(maps.Keys(w.Components)) {
		if !reflect.DeepEqual(w.Components[n], g.Components[n]) {
			t.Fatalf("component %s differs:\n want %+v\n  got %+v", n, w.Components[n], g.Components[n])
		}
	}
	if !reflect.DeepEqual(slices.Sorted(maps.Keys(w.Components)), slices.Sorted(maps.Keys(g.Components))) {
		t.Fatalf("component names differ:\n want %v\n  got %v", slices.Sorted(maps.Keys(w.Components)), slices.Sorted(maps.Keys(g.Components)))
	}
	wf, gf := plain(w), plain(g)
	for _, name := range slices.Sorted(maps.Keys(wf)) {
		if name != "Components" && !reflect.DeepEqual(wf[name], gf[name]) {
			t.Fatalf("%s differs:\n want %#v\n  got %#v", name, wf[name], gf[name])
		}
	}
	t.Fatal("configs differ")
}

// expect loads lazily, checks hit or miss, and compares with a full load.
func expect(t *testing.T, opts config.Options, hit bool) *config.Config {
	t.Helper()
	got, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if got.FromCache() != hit {
		t.Fatalf("FromCache = %v, want %v", got.FromCache(), hit)
	}
	want, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	sameConfig(t, want, got)
	if hit && store(got).fellBack {
		t.Fatal("the cached components could not be decoded")
	}
	return got
}

func TestCacheCorpus(t *testing.T) {
	root := corpusOrSkip(t)
	useCache(t)
	opts := config.Options{StartDir: root, HostArch: "x86_64"}
	expect(t, opts, false)
	expect(t, opts, true)

	// Every component decoded on its own equals the full load's.
	full, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { singleDecodes = n }(singleDecodes)
	singleDecodes = 1 << 30
	lazy, err := Load(opts)
	if err != nil || !lazy.FromCache() {
		t.Fatal(err, lazy.FromCache())
	}
	if got, want := lazy.ComponentNames(), slices.Sorted(maps.Keys(full.Components)); !reflect.DeepEqual(got, want) {
		t.Fatalf("ComponentNames: %d names, want %d", len(got), len(want))
	}
	for name, want := range full.Components {
		got, ok, err := lazy.Component(name)
		if err != nil || !ok {
			t.Fatalf("%s: ok=%v err=%v", name, ok, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n want %+v\n  got %+v", name, want, got)
		}
		if f := lazy.ComponentFile(name); f != full.ComponentFiles[name] {
			t.Fatalf("%s: file %s, want %s", name, f, full.ComponentFiles[name])
		}
	}
	if store(lazy).complete {
		t.Fatal("single lookups completed the configuration")
	}
	if _, ok, err := lazy.Component("no-such-component"); ok || err != nil || lazy.HasComponent("no-such-component") {
		t.Fatal("found a component that does not exist")
	}
}

// cacheProject is a small project using the features the cache must carry:
// glob includes over nested directories, a missing include directory,
// relative paths, non-contiguous component tables, whole-file components.
func cacheProject(t *testing.T) string {
	return writeTree(t, map[string]string{
		config.RootFileName: `includes = ["comps/**/*.comp.toml", "extra/*.toml", "nested/*/*.toml", "inline.toml", "bare.toml"]
[project]
description = "cache test"
rendered-specs-dir = "specs"
default-distro = { name = "d" }
[distros.d]
default-version = "1"
[distros.d.versions.1]
release-ver = "1"
[distros.d.versions.1.default-component-config.build]
with = []
[components.a]
spec = { type = "local", path = "a/a.spec" }
[components.z]
[component-groups.g]
components = ["a", "b"]
[component-groups.g.default-component-config]
overlay-files = []
[components.a.build]
with = ["x"]
defines = { k = "v" }
[[components.a.overlays]]
type = "patch-add"
source = "a/fix.patch"
[images.i]
definition = { path = "img/i.kiwi" }
capabilities = { container = false }
`,
		"comps/b/b.comp.toml": `# comment
[components.b]
overlay-files = ["*.overlay.toml"]
[components.b.packages.b-libs.publish]
rpm-channel = "base"
[[components.b.overlays]]
type = "file-add"
file = "x.conf"
source = "files/x.conf"
`,
		"comps/c.comp.toml":     "[components.\"c.dotted\"]\nrelease.calculation = \"manual\"",
		"comps/d/e/e.comp.toml": "[components.e]\n\r\n[components.e.spec]\r\ntype = \"upstream\"\r\n",
		"nested/n1/n.toml":      "[components.n1]\n",
		"inline.toml":           "components = { inl = { build = { without = [\"y\"] } } }\n",
		"bare.toml":             "[components]\nbare.spec.type = \"upstream\"\nbare2 = {}\n",
	})
}

func TestCacheSmallProject(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir, HostArch: "aarch64"}
	expect(t, opts, false)
	c := expect(t, opts, true)
	if got := strings.Join(c.ComponentNames(), " "); got != "a b bare bare2 c.dotted e inl n1 z" {
		t.Fatalf("names: %s", got)
	}

	// Single lookups, before completion.
	c, err := Load(opts)
	if err != nil || !c.FromCache() {
		t.Fatal(err)
	}
	full, _ := config.Load(opts)
	for _, n := range []string{"b", "inl", "a", "bare"} {
		got, ok, err := c.Component(n)
		if !ok || err != nil || !reflect.DeepEqual(got, full.Components[n]) {
			t.Fatalf("%s: %v %v\n want %+v\n  got %+v", n, ok, err, full.Components[n], got)
		}
	}
	if got, _, _ := c.Component("a"); got.Overlays[0].Source != filepath.Join(dir, "a/fix.patch") {
		t.Errorf("path not resolved: %s", got.Overlays[0].Source)
	}
	if c.ComponentFile("b") != filepath.Join(dir, "comps/b/b.comp.toml") {
		t.Errorf("ComponentFile(b) = %s", c.ComponentFile("b"))
	}
	// Nil and empty lists survive the cache: they mean different things.
	if g := c.ComponentGroups["g"]; g.DefaultComponentConfig.OverlayFiles == nil {
		t.Error("empty overlay-files became nil")
	}
	if c.Images["i"].Capabilities.Container == nil || c.Images["i"].Capabilities.Systemd != nil {
		t.Error("tri-state capability lost")
	}
	if store(c).complete || c.Components != nil {
		t.Fatal("single lookups completed the configuration")
	}
	// Completing keeps the components already handed out.
	b, _, _ := c.Component("b")
	sameConfig(t, full, c)
	if c.Components["b"] != b {
		t.Error("LoadComponents replaced a component already returned")
	}

	// Many single lookups switch to decoding everything at once.
	defer func(n int) { singleDecodes = n }(singleDecodes)
	singleDecodes = 2
	c, _ = Load(opts)
	for _, n := range []string{"a", "b", "e"} {
		if _, ok, err := c.Component(n); !ok || err != nil {
			t.Fatal(n, ok, err)
		}
	}
	if !store(c).complete || len(c.Components) != 9 || store(c).fellBack {
		t.Fatal("not completed after many lookups")
	}
}

// TestCacheInvalidation changes the project in every way that matters, with
// files trusted by their stamps alone, and with every file racy (checked by
// content, globs expanded again).
func TestCacheInvalidation(t *testing.T) {
	for _, window := range []time.Duration{-time.Hour, time.Hour} {
		t.Run(fmt.Sprint("racy window ", window), func(t *testing.T) {
			defer func(w time.Duration) { racyWindow = w }(racyWindow)
			racyWindow = window
			testInvalidation(t)
		})
	}
}

func testInvalidation(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir, HostArch: "x86_64"}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	expect(t, opts, false)
	expect(t, opts, true)
	steps := []struct {
		name   string
		change func()
	}{
		{"edit a file", func() { write("comps/c.comp.toml", "[components.\"c.dotted\"]\nrelease.calculation = \"static\"") }},
		{"same content, new mtime", func() {
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(filepath.Join(dir, "inline.toml"), later, later); err != nil {
				t.Fatal(err)
			}
		}},
		{"same size edit, old mtime", func() {
			p := filepath.Join(dir, "comps/c.comp.toml")
			st, _ := os.Stat(p)
			write("comps/c.comp.toml", "[components.\"c.dotted\"]\nrelease.calculation = \"manual\"")
			if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
				t.Fatal(err)
			}
		}},
		{"new file matching ** in a new directory", func() { write("comps/n/m/new.comp.toml", "[components.new]\n") }},
		{"new file next to a matched one", func() { write("comps/b/b2.comp.toml", "[components.b2]\n") }},
		{"new file in a directory that did not exist", func() { write("extra/x.toml", "[components.x]\n") }},
		{"new file one level down", func() { write("nested/n1/n2.toml", "[components.n2]\n") }},
		{"new directory one level down", func() { write("nested/n3/n3.toml", "[components.n3]\n") }},
		{"delete an included file", func() {
			if err := os.Remove(filepath.Join(dir, "comps/b/b2.comp.toml")); err != nil {
				t.Fatal(err)
			}
		}},
		{"rename an included file", func() {
			if err := os.Rename(filepath.Join(dir, "comps/c.comp.toml"), filepath.Join(dir, "comps/c2.comp.toml")); err != nil {
				t.Fatal(err)
			}
		}},
		{"replace a file (new inode)", func() {
			p := filepath.Join(dir, "inline.toml")
			data, _ := os.ReadFile(p)
			st, _ := os.Stat(p)
			write("inline.tmp", string(data))
			if err := os.Rename(filepath.Join(dir, "inline.tmp"), p); err != nil {
				t.Fatal(err)
			}
			_ = os.Chtimes(p, st.ModTime(), st.ModTime())
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.change()
			expect(t, opts, false)
			expect(t, opts, true)
		})
	}

	// Each option has its own cache entry.
	t.Run("options", func(t *testing.T) {
		write("more.toml", "[components.more]\n")
		user := filepath.Join(dir, "user.toml")
		for _, o := range []config.Options{
			{StartDir: dir, HostArch: "x86_64", Permissive: true},
			{StartDir: dir, HostArch: "x86_64", ExtraFiles: []string{filepath.Join(dir, "more.toml")}},
			{StartDir: dir, HostArch: "aarch64"},
			{StartDir: dir, HostArch: "x86_64", NoDefaults: true},
			{StartDir: dir, HostArch: "x86_64", UserConfig: user},
		} {
			expect(t, o, false)
			expect(t, o, true)
		}
		expect(t, opts, true)
		// The user config appearing invalidates.
		write("user.toml", "[project]\ndescription = \"user\"\n")
		expect(t, config.Options{StartDir: dir, HostArch: "x86_64", UserConfig: user}, false)
	})

	t.Run("errors are not cached", func(t *testing.T) {
		write("extra/bad.toml", "[components.bad]\nrelease.calculation = \"sometimes\"\n")
		if _, err := Load(opts); err == nil {
			t.Fatal("invalid configuration accepted")
		}
		if _, err := Load(opts); err == nil {
			t.Fatal("invalid configuration accepted from the cache")
		}
		os.Remove(filepath.Join(dir, "extra/bad.toml"))
		expect(t, opts, false)
	})
}

func TestCacheRacyFiles(t *testing.T) {
	useCache(t)
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = 200 * time.Millisecond
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	expect(t, opts, false)
	m := readManifest(t, opts)
	if len(m.Stamps) == 0 || !m.Stamps[0].Racy || m.Stamps[0].Sum == "" {
		t.Fatalf("a file just written is not racy: %+v", m.Stamps[0])
	}
	if len(m.Globs) == 0 {
		t.Fatal("a glob over just-created directories is not racy")
	}
	expect(t, opts, true) // verified by content
	if m := readManifest(t, opts); !m.Stamps[0].Racy || len(m.Globs) == 0 {
		t.Fatal("settled within the window")
	}
	time.Sleep(2 * racyWindow)
	expect(t, opts, true) // settles: the manifest is rewritten
	for _, s := range readManifest(t, opts).Stamps {
		if s.Racy || s.Sum != "" {
			t.Fatalf("not settled: %+v", s)
		}
	}
	expect(t, opts, true)

	// A racy entry whose content differs is stale even when it stats the same.
	p := filepath.Join(dir, config.RootFileName)
	rm := manifest{Stamps: []stamp{takeStamp(p)}}
	rm.Stamps[0].Racy, rm.Stamps[0].Sum = true, contentSum([]byte("something else"))
	if ok, _ := rm.fresh(time.Now()); ok {
		t.Fatal("racy entry with other content accepted")
	}
	data, _ := os.ReadFile(p)
	rm.Stamps[0].Sum = contentSum(data)
	if ok, _ := rm.fresh(time.Now()); !ok {
		t.Fatal("racy entry with the same content rejected")
	}
	// A racy glob whose matches changed is stale.
	g := manifest{Globs: []globCheck{{Dir: dir, Pattern: "comps/**/*.comp.toml", Matches: []string{filepath.Join(dir, "comps/c.comp.toml")}}}}
	if ok, _ := g.fresh(time.Now()); ok {
		t.Fatal("racy glob with other matches accepted")
	}
}

func readManifest(t *testing.T, opts config.Options) manifest {
	t.Helper()
	root, _ := config.FindRoot(opts.StartDir)
	data, err := os.ReadFile(cacheFile(root, opts))
	if err != nil {
		t.Fatal(err)
	}
	h, ok := parseHeader(data)
	if !ok {
		t.Fatal("bad header")
	}
	var m manifest
	if err := decodeValue(string(data[cacheHeaderLen:cacheHeaderLen+h.manifestLen]), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCacheCorruption(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	expect(t, opts, false)
	root, _ := config.FindRoot(dir)
	path := cacheFile(root, opts)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parseHeader(good)
	manifestAt := cacheHeaderLen
	skeletonAt := manifestAt + int(h.manifestLen)
	indexAt := skeletonAt + int(h.skeletonLen)
	blobsAt := indexAt + int(h.indexLen)
	cases := map[string][]byte{
		"empty":     {},
		"garbage":   []byte("not a cache file at all, but long enough to hold a header........"),
		"truncated": good[:len(good)-3],
		"extended":  append(bytes.Clone(good), 0),
	}
	for name, at := range map[string]int{"magic": 0, "header": 12, "manifest": manifestAt + 5, "skeleton": skeletonAt + 7,
		"index": indexAt + 3, "names": blobsAt - 1, "blob": blobsAt + 1, "last blob": len(good) - 2} {
		b := bytes.Clone(good)
		b[at] ^= 0x20
		cases[name] = b
	}
	// A changed character in a blob still decodes: only its checksum tells.
	at := blobsAt + bytes.Index(good[blobsAt:], []byte("fix.patch"))
	if at < blobsAt {
		t.Fatal("no path in the blobs")
	}
	cases["blob text"] = bytes.Clone(good)
	cases["blob text"][at] = 'F'
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := config.Load(opts)
			// A damaged text is only found when it is read: then the
			// components come from a full load.
			for _, n := range want.ComponentNames() {
				c, ok, err := got.Component(n)
				if !ok || err != nil || !reflect.DeepEqual(c, want.Components[n]) {
					t.Fatalf("%s: ok=%v err=%v", n, ok, err)
				}
			}
			sameConfig(t, want, got)
		})
	}
}

// TestCacheUndecodable gives a component a blob that does not decode (with
// valid checksums): the lookup falls back to a full load.
func TestCacheUndecodable(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	expect(t, opts, false)
	root, _ := config.FindRoot(dir)
	path := cacheFile(root, opts)
	data, _ := os.ReadFile(path)
	h, _ := parseHeader(data)
	indexAt := cacheHeaderLen + int(h.manifestLen) + int(h.skeletonLen)
	blobsAt := indexAt + int(h.indexLen)
	last := data[indexAt+int(h.count-1)*entryLen:] // z, the last name
	off, n := int(getU32(last[8:])), int(getU32(last[12:]))
	blob := data[blobsAt+off : blobsAt+off+n]
	for i := range blob {
		blob[i] = 0xff
	}
	putU32(last[16:], crc32c(blob))
	putU32(data[8+4*5:], crc32c(data[indexAt:blobsAt]))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(opts)
	if err != nil || !c.FromCache() {
		t.Fatal("the doctored cache should open", err)
	}
	z, ok, err := c.Component("z")
	if !ok || err != nil || z == nil || !store(c).fellBack {
		t.Fatal("z not served by a full load", ok, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("unusable cache file not removed")
	}
	want, _ := config.Load(opts)
	sameConfig(t, want, c)
}

func getU32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

func TestCacheDisabled(t *testing.T) {
	dir := useCache(t)
	t.Setenv("AZLDEV_NO_CACHE", "1")
	proj := cacheProject(t)
	c, err := Load(config.Options{StartDir: proj})
	if err != nil || c.FromCache() {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("cache written although disabled: %v", entries)
	}
}

func TestCachePermissiveWarnings(t *testing.T) {
	useCache(t)
	dir := writeTree(t, map[string]string{config.RootFileName: "[project]\ncolour = \"blue\"\n[components.a]\nflavour = 1\n[component-groups.g]\ncomponents = [\"missing\"]\n"})
	opts := config.Options{StartDir: dir, Permissive: true}
	miss := expect(t, opts, false)
	hit := expect(t, opts, true)
	if len(hit.Warnings) != 3 || !reflect.DeepEqual(miss.Warnings, hit.Warnings) {
		t.Fatalf("warnings: %q, want %q", hit.Warnings, miss.Warnings)
	}
	if _, err := Load(config.Options{StartDir: dir}); err == nil {
		t.Fatal("strict load used the permissive cache")
	}
}

// TestCacheConcurrent loads and rewrites one cache file from many
// goroutines: every load must be correct (run with -race).
func TestCacheConcurrent(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	want, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := config.FindRoot(dir)
	path := cacheFile(root, opts)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if g%2 == 0 && i%4 == 0 {
					rec := newRecorder()
					c, err := config.LoadRoot(root, opts, rec)
					if err == nil {
						err = writeCache(path, c, rec)
					}
					if err != nil {
						errs <- err
						return
					}
					continue
				}
				c, err := Load(opts)
				if err == nil {
					err = c.LoadComponents()
				}
				if err == nil && !reflect.DeepEqual(plain(c), plain(want)) {
					err = fmt.Errorf("goroutine %d: config differs", g)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	expect(t, opts, true)
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestCacheConcurrentProcesses has several processes miss and write the
// same cache file at once; the survivor must be whole and correct.
func TestCacheConcurrentProcesses(t *testing.T) {
	if os.Getenv("AZLDEV_CACHE_HELPER") != "" {
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	cacheDir := useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	var wg sync.WaitGroup
	outs := make([][]byte, 6)
	errs := make([]error, 6)
	for i := range outs {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestCacheHelperProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "AZLDEV_CACHE_HELPER="+dir, "AZLDEV_CACHE_DIR="+cacheDir)
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatalf("helper %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	expect(t, opts, true)
}

// TestCacheHelperProcess writes the cache of a project repeatedly while
// checking every load (only as a helper of TestCacheConcurrentProcesses).
func TestCacheHelperProcess(t *testing.T) {
	dir := os.Getenv("AZLDEV_CACHE_HELPER")
	if dir == "" {
		t.Skip("helper process")
	}
	opts := config.Options{StartDir: dir}
	want, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := config.FindRoot(dir)
	for range 30 {
		rec := newRecorder()
		c, err := config.LoadRoot(root, opts, rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeCache(cacheFile(root, opts), c, rec); err != nil {
			t.Fatal(err)
		}
		got, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := got.LoadComponents(); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(plain(got), plain(want)) {
			t.Fatal("config differs")
		}
	}
}

func TestCacheCodecRoundTrip(t *testing.T) {
	yes := true
	in := &config.Config{File: config.File{
		Includes:   []string{},
		Components: map[string]*config.ComponentConfig{"a": {OverlayFiles: []string{}, Build: config.ComponentBuildConfig{Defines: map[string]string{}}}},
		Images:     map[string]*config.ImageConfig{"i": {Capabilities: config.ImageCapabilities{Container: &yes}}, "nil": nil},
		Distros:    map[string]*config.DistroDefinition{},
	}, Warnings: []string{"w", ""}}
	b, err := encodeValue(in)
	if err != nil {
		t.Fatal(err)
	}
	var out config.Config
	if err := decodeValue(string(b), &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, &out) {
		t.Fatalf("round trip:\n in %+v\nout %+v", in, &out)
	}
	for i := range b {
		var x config.Config
		_ = decodeValue(string(b[:i]), &x) // must not panic
	}
	// State the codec cannot see is an error, not a silent loss.
	if _, err := encodeValue(&struct{ T time.Time }{time.Now()}); err == nil {
		t.Fatal("a struct with unexported fields was encoded")
	}
}

// TestCacheKey checks that the cache file name changes with each input.
func TestCacheKey(t *testing.T) {
	useCache(t)
	base := config.Options{StartDir: "/p", HostArch: "x86_64"}
	seen := map[string]bool{}
	for _, o := range []config.Options{
		base,
		{StartDir: "/p", HostArch: "aarch64"},
		{StartDir: "/p", HostArch: "x86_64", Permissive: true},
		{StartDir: "/p", HostArch: "x86_64", NoDefaults: true},
		{StartDir: "/p", HostArch: "x86_64", UserConfig: "/u"},
		{StartDir: "/p", HostArch: "x86_64", ExtraFiles: []string{"/e"}},
		{StartDir: "/p", HostArch: "x86_64", ExtraFiles: []string{"/e", "/f"}},
	} {
		p := cacheFile("/p/azldev.toml", o)
		if p == "" || seen[p] {
			t.Fatalf("%+v: path %q", o, p)
		}
		seen[p] = true
	}
	if cacheFile("/q/azldev.toml", base) == cacheFile("/p/azldev.toml", base) {
		t.Fatal("root not in the key")
	}
	if cacheFile("/p/azldev.toml", config.Options{StartDir: "/p/sub", HostArch: "x86_64"}) != cacheFile("/p/azldev.toml", base) {
		t.Fatal("start directory in the key")
	}
	names := []string{}
	for p := range seen {
		names = append(names, filepath.Base(p))
	}
	sort.Strings(names)
	if !strings.HasPrefix(names[0], "config-") || !strings.HasSuffix(names[0], ".bin") {
		t.Fatal(names[0])
	}
}

func TestCachePrune(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	touch := func(name string, age time.Duration) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range maxCacheFiles + 5 {
		touch(fmt.Sprintf("config-%03d.bin", i), time.Duration(i)*time.Minute)
	}
	touch("config-old.bin", cacheMaxAge+time.Hour)
	touch(".config-a.bin.tmp-1", 2*time.Hour) // left by an interrupted write long ago
	touch(".config-b.bin.tmp-2", time.Minute) // possibly still being written
	touch("distgit", 100*cacheMaxAge)
	pruneCache(dir)
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	all := " " + strings.Join(left, " ") + " "
	if len(left) != maxCacheFiles-1+2 || !strings.Contains(all, " config-000.bin ") || !strings.Contains(all, " .config-b.bin.tmp-2 ") ||
		!strings.Contains(all, " distgit ") || strings.Contains(all, "tmp-1") || strings.Contains(all, "config-old") {
		t.Fatalf("left %d: %v", len(left), left)
	}
}

// TestCacheNotRegular: a symbolic link or a directory in the cache file's
// place is a miss.
func TestCacheNotRegular(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	expect(t, opts, false)
	root, _ := config.FindRoot(dir)
	path := cacheFile(root, opts)
	if err := os.Rename(path, path+".real"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(path)+".real", path); err != nil {
		t.Fatal(err)
	}
	if c := openCache(path, root, opts); c != nil {
		t.Fatal("opened a cache file through a symbolic link")
	}
	if _, err := openRegular(t.TempDir()); err == nil {
		t.Fatal("opened a directory")
	}
	expect(t, opts, false) // rewritten as a regular file
	expect(t, opts, true)
}

// TestCacheRelativeDir: a relative $AZLDEV_CACHE_DIR is ignored with a
// warning (the default place is used), never taken relative to the working
// directory.
func TestCacheRelativeDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg"))
	t.Setenv("HOME", home)
	t.Setenv("AZLDEV_NO_CACHE", "")
	t.Setenv("AZLDEV_CACHE_DIR", "relative/cache")
	dir := cacheProject(t)
	wd := t.TempDir()
	t.Chdir(wd)
	opts := config.Options{StartDir: dir}
	want, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, hit := range []bool{false, true} {
		c, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if c.FromCache() != hit {
			t.Fatalf("FromCache = %v, want %v", c.FromCache(), hit)
		}
		if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], `AZLDEV_CACHE_DIR="relative/cache"`) {
			t.Fatalf("warnings: %q", c.Warnings)
		}
		c.Warnings = nil
		sameConfig(t, want, c)
	}
	if _, err := os.Stat(filepath.Join(wd, "relative")); !os.IsNotExist(err) {
		t.Fatal("cache directory created relative to the working directory")
	}
	if d, _ := cachedir.Root(); d != filepath.Join(home, "xdg", "azldev") {
		t.Fatalf("cacheDir = %s", d)
	}
	matches, _ := filepath.Glob(filepath.Join(home, "xdg", "azldev", "config-*.bin"))
	if len(matches) != 1 {
		t.Fatalf("cache files in the default place: %v", matches)
	}
	// The warning is not stored in the cache.
	t.Setenv("AZLDEV_CACHE_DIR", filepath.Join(home, "xdg", "azldev"))
	c, err := Load(opts)
	if err != nil || !c.FromCache() || len(c.Warnings) != 0 {
		t.Fatal(err, c.FromCache(), c.Warnings)
	}
}

// TestCacheDump: a Config served from the cache dumps like a full load
// (Dump loads the components held back).
func TestCacheDump(t *testing.T) {
	useCache(t)
	dir := cacheProject(t)
	opts := config.Options{StartDir: dir}
	expect(t, opts, false)
	lazy, err := Load(opts)
	if err != nil || !lazy.FromCache() || store(lazy).complete {
		t.Fatal("want an incomplete cached configuration", err)
	}
	full, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := lazy.Dump()
	if err != nil {
		t.Fatal(err)
	}
	want, err := full.Dump()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || len(got.Components) != 9 {
		t.Fatalf("dump from the cache differs (%d components)", len(got.Components))
	}
}
