package lookaside

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

const testPkg = "mypkg"

// lookasideServer serves objects at /pkgs/<pkg>/<file>/<hashtype>/<hash>/<file>
// and records the paths requested.
type lookasideServer struct {
	*server
	mu      sync.Mutex
	objects map[string][]byte
	paths   []string
}

func newLookaside(t *testing.T, before func(path string, w http.ResponseWriter, r *http.Request) bool) *lookasideServer {
	ls := &lookasideServer{objects: map[string][]byte{}}
	ls.server = newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		ls.paths = append(ls.paths, r.URL.EscapedPath())
		obj, ok := ls.objects[r.URL.EscapedPath()]
		ls.mu.Unlock()
		if before != nil && before(r.URL.EscapedPath(), w, r) {
			return
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		serve(w, obj)
	})
	return ls
}

func (ls *lookasideServer) template() string {
	return ls.URL + "/pkgs/$pkg/$filename/$hashtype/$hash/$filename"
}

// add publishes content and returns its request path.
func (ls *lookasideServer) add(file, hashType, hash string, content []byte) string {
	p := fmt.Sprintf("/pkgs/%s/%s/%s/%s/%s", testPkg, file, strings.ToLower(hashType), hash, file)
	ls.mu.Lock()
	ls.objects[p] = content
	ls.mu.Unlock()
	return p
}

func (ls *lookasideServer) requested() []string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return slices.Sorted(slices.Values(ls.paths))
}

func writeSources(t *testing.T, dir string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "sources"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFetchSources(t *testing.T) {
	ls := newLookaside(t, nil)
	a, b, c, skipped, present := payload(5000, 2), payload(7000, 3), payload(3000, 4), payload(10, 5), payload(10, 6)
	want := []string{
		ls.add("a-1.0.tar.gz", "SHA512", sha512Hex(a), a),
		ls.add("b.patch", "SHA256", sha256Hex(b), b),
		ls.add("c.zip", "MD5", md5Hex(c), c),
	}
	dir := t.TempDir()
	writeSources(t, dir,
		"# lookaside files",
		"SHA512 (a-1.0.tar.gz) = "+sha512Hex(a),
		"",
		"SHA256 (b.patch) = "+strings.ToUpper(sha256Hex(b)),
		md5Hex(c)+"  c.zip",
		"SHA512 (generated.tar) = "+sha512Hex(skipped),
		"SHA512 (present.tar) = "+sha512Hex(present),
	)
	os.WriteFile(filepath.Join(dir, "present.tar"), []byte("local copy"), 0o644)
	skip := func(name string) bool { return name == "generated.tar" }

	d := testDownloader(ls.server, 1)
	d.CacheDir = t.TempDir()
	if err := d.FetchSources(t.Context(), dir, testPkg, ls.template(), skip); err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if got := ls.requested(); !slices.Equal(got, want) {
		t.Errorf("requested %q\nwant %q", got, want)
	}
	assertContent(t, filepath.Join(dir, "a-1.0.tar.gz"), a, 0o600)
	assertContent(t, filepath.Join(dir, "b.patch"), b, 0o600)
	assertContent(t, filepath.Join(dir, "c.zip"), c, 0o600)
	assertContent(t, filepath.Join(dir, "present.tar"), []byte("local copy"), 0o644)
	assertFiles(t, dir, "sources", "a-1.0.tar.gz", "b.patch", "c.zip", "present.tar")
	assertFiles(t, d.CacheDir,
		cacheRel(sha512Hex(a)),
		"sha256/"+sha256Hex(b)[:2]+"/"+sha256Hex(b),
		"md5/"+md5Hex(c)[:2]+"/"+md5Hex(c))
}

func TestFetchSourcesEscapesNames(t *testing.T) {
	ls := newLookaside(t, nil)
	content := payload(100, 7)
	// A sources file name with characters that must be escaped in the URL.
	name := "a b#1.tar"
	escaped := "a%20b%231.tar"
	want := ls.add(escaped, "SHA512", sha512Hex(content), content)
	dir := t.TempDir()
	writeSources(t, dir, "SHA512 ("+name+") = "+sha512Hex(content))
	if err := testDownloader(ls.server, 1).FetchSources(t.Context(), dir, testPkg, ls.template(), nil); err != nil {
		t.Fatal(err)
	}
	if got := ls.requested(); !slices.Equal(got, []string{want}) {
		t.Errorf("requested %q, want %q", got, want)
	}
	assertContent(t, filepath.Join(dir, name), content, 0o600)
}

func TestFetchSourcesRejectsBeforeNetwork(t *testing.T) {
	good := payload(10, 1)
	tests := []struct {
		name     string
		line     string
		template string
		wantErr  error
		wantMsg  string
	}{
		{"parent directory", md5Hex(good) + "  ../evil", "", safepath.ErrBadFileName, `"../evil" contains a path separator`},
		{"subdirectory", "SHA512 (sub/x.tar) = " + sha512Hex(good), "", safepath.ErrBadFileName, `"sub/x.tar"`},
		{"dot-dot", md5Hex(good) + "  ..", "", safepath.ErrBadFileName, `".."`},
		{"unsupported hash type", "SHA384 (x.tar) = " + sha512Hex(good)[:96], "", nil, `x.tar: unsupported hash type "SHA384"`},
		{"short hash", "SHA512 (x.tar) = abcd", "", nil, `x.tar: invalid SHA512 hash "abcd"`},
		{"placeholder in name", "SHA512 ($pkg.tar) = " + sha512Hex(good), "", ErrBadTemplate, `contains the placeholder "$pkg"`},
		{"relative template", "SHA512 (x.tar) = " + sha512Hex(good), "pkgs/$pkg/$filename", ErrBadTemplate, "not an absolute URL"},
		{"unparsable line", "garbage", "", nil, "sources line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ls := newLookaside(t, nil)
			ls.add("ok.tar", "SHA512", sha512Hex(good), good)
			dir := t.TempDir()
			writeSources(t, dir, "SHA512 (ok.tar) = "+sha512Hex(good), tc.line)
			template := tc.template
			if template == "" {
				template = ls.template()
			}
			err := testDownloader(ls.server, 3).FetchSources(t.Context(), dir, testPkg, template, nil)
			if err == nil {
				t.Fatal("FetchSources succeeded")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tc.wantErr)
			}
			assertMessage(t, err, tc.wantMsg, filepath.Join(dir, "sources"), "lookaside sources of mypkg")
			if ls.count() != 0 {
				t.Errorf("requests = %d before validation failed, want 0", ls.count())
			}
			assertFiles(t, dir, "sources")
		})
	}
}

func TestFetchSourcesNoSourcesFile(t *testing.T) {
	dir := t.TempDir()
	if err := (&Downloader{}).FetchSources(t.Context(), dir, testPkg, "http://127.0.0.1:1/$pkg", nil); err != nil {
		t.Fatal(err)
	}
	assertFiles(t, dir)
}

// TestFetchSourcesReportsEarliestFailure makes a later entry fail first and
// an earlier entry fail later; the earlier one must be reported every time.
func TestFetchSourcesReportsEarliestFailure(t *testing.T) {
	for range 5 {
		ls := newLookaside(t, func(path string, w http.ResponseWriter, r *http.Request) bool {
			if strings.Contains(path, "/f1.tar/") {
				time.Sleep(30 * time.Millisecond)
			}
			return false
		})
		dir := t.TempDir()
		var lines []string
		for i := range 6 {
			content := payload(1000, byte(i))
			name := fmt.Sprintf("f%d.tar", i)
			if i != 1 && i != 4 { // f1 and f4 are missing (404)
				ls.add(name, "SHA512", sha512Hex(content), content)
			}
			lines = append(lines, "SHA512 ("+name+") = "+sha512Hex(content))
		}
		writeSources(t, dir, lines...)
		d := testDownloader(ls.server, 2)
		d.Concurrency = 6
		d.CacheDir = t.TempDir()
		err := d.FetchSources(t.Context(), dir, testPkg, ls.template(), nil)
		if err == nil {
			t.Fatal("FetchSources succeeded with missing files")
		}
		assertMessage(t, err, "lookaside sources of mypkg: f1.tar: downloading "+ls.URL+"/pkgs/mypkg/f1.tar/", "HTTP 404 Not Found")
		if strings.Contains(err.Error(), "f4.tar") {
			t.Errorf("error mentions the later failure: %v", err)
		}
		for _, f := range files(t, dir) {
			if strings.HasPrefix(f, ".") || strings.HasSuffix(f, ".part") {
				t.Errorf("temporary file left behind: %s", f)
			}
		}
		for _, f := range files(t, d.CacheDir) {
			if strings.HasSuffix(f, ".part") {
				t.Errorf("temporary file left in cache: %s", f)
			}
		}
	}
}

func TestFetchSourcesBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	ls := newLookaside(t, func(string, http.ResponseWriter, *http.Request) bool {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		return false
	})
	dir := t.TempDir()
	var lines []string
	for i := range 12 {
		content := payload(500, byte(i))
		name := fmt.Sprintf("f%02d.tar", i)
		ls.add(name, "SHA512", sha512Hex(content), content)
		lines = append(lines, "SHA512 ("+name+") = "+sha512Hex(content))
	}
	writeSources(t, dir, lines...)
	d := testDownloader(ls.server, 1)
	d.Concurrency = 3
	if err := d.FetchSources(t.Context(), dir, testPkg, ls.template(), nil); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("peak concurrent requests = %d, want at most 3", p)
	}
	if got := len(files(t, dir)); got != 13 {
		t.Errorf("%d files in dir, want 13", got)
	}
}

// TestConnectionLimitIsShared runs several FetchSources calls at once on one
// Downloader: together they stay within its Concurrency.
func TestConnectionLimitIsShared(t *testing.T) {
	var inFlight, peak atomic.Int32
	ls := newLookaside(t, func(string, http.ResponseWriter, *http.Request) bool {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
		}
		time.Sleep(10 * time.Millisecond)
		return false
	})
	d := testDownloader(ls.server, 1)
	d.Concurrency = 2
	dirs := make([]string, 4)
	for k := range dirs {
		dirs[k] = t.TempDir()
		var lines []string
		for i := range 4 {
			content := payload(300, byte(10*k+i))
			name := fmt.Sprintf("d%df%d.tar", k, i)
			ls.add(name, "SHA512", sha512Hex(content), content)
			lines = append(lines, "SHA512 ("+name+") = "+sha512Hex(content))
		}
		writeSources(t, dirs[k], lines...)
	}
	errs := make(chan error, len(dirs))
	for _, dir := range dirs {
		go func() { errs <- d.FetchSources(t.Context(), dir, testPkg, ls.template(), nil) }()
	}
	for range dirs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent requests = %d over %d calls, want 2", p, len(dirs))
	}
}

func TestFetchSourcesCancelled(t *testing.T) {
	arrived := make(chan struct{}, 10)
	var ls *lookasideServer
	ls = newLookaside(t, func(_ string, w http.ResponseWriter, r *http.Request) bool {
		arrived <- struct{}{}
		ls.stall(w, r, data, 100)
		return true
	})
	dir := t.TempDir()
	writeSources(t, dir, "SHA512 (a.tar) = "+dataHash, "SHA512 (b.tar) = "+dataHash)
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	d := testDownloader(ls.server, 3)
	d.ReadTimeout = time.Hour
	d.CacheDir = t.TempDir()
	err := within(t, func() error { return d.FetchSources(ctx, dir, testPkg, ls.template(), nil) })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	assertFiles(t, dir, "sources")
	assertFiles(t, d.CacheDir)
}

func TestFetchSourcesDryRun(t *testing.T) {
	ls := newLookaside(t, nil)
	logs := &logBuffer{}
	d := testDownloader(ls.server, 1)
	d.DryRun, d.Log = true, newLogger(logs)
	dir := t.TempDir()
	writeSources(t, dir, "SHA512 (a.tar) = "+dataHash)
	if err := d.FetchSources(t.Context(), dir, testPkg, ls.template(), nil); err != nil {
		t.Fatal(err)
	}
	if ls.count() != 0 {
		t.Errorf("dry run made %d requests", ls.count())
	}
	assertFiles(t, dir, "sources")
	if !strings.Contains(logs.String(), "/pkgs/mypkg/a.tar/sha512/"+dataHash+"/a.tar") {
		t.Errorf("dry run log lacks the URL:\n%s", logs)
	}
}
