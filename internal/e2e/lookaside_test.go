package e2e

import (
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var tarball = []byte(strings.Repeat("pretend this is a tarball\n", 200))

func sha512hex(b []byte) string {
	sum := sha512.Sum512(b)
	return hex.EncodeToString(sum[:])
}

// lookasideServer serves tarball at any path; fault may answer instead.
type lookasideServer struct {
	*httptest.Server
	requests atomic.Int64
	fault    atomic.Pointer[func(w http.ResponseWriter, n int64) bool]
}

func newLookaside(t *testing.T) *lookasideServer {
	t.Helper()
	s := &lookasideServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.requests.Add(1)
		if f := s.fault.Load(); f != nil && (*f)(w, n) {
			return
		}
		_, _ = w.Write(tarball)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *lookasideServer) setFault(f func(w http.ResponseWriter, n int64) bool) { s.fault.Store(&f) }

// lookasideProject has one local component whose sources file lists the
// tarball, and a source-files entry downloaded from its origin.
func lookasideProject(t *testing.T, serverURL string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "azldev.toml"), `includes = ["comps/*/*.comp.toml"]
[project]
default-distro = { name = "d", version = "1" }
[distros.d]
default-version = "1"
lookaside-base-uri = "`+serverURL+`/lookaside/$pkg/$filename/$hashtype/$hash/$filename"
[distros.d.versions.1]
release-ver = "1"
`)
	writeFile(t, filepath.Join(dir, "comps/hello/hello.comp.toml"), `[components.hello]
spec = { type = "local", path = "hello.spec" }
[[components.hello.source-files]]
filename = "extra.tar.gz"
hash = "`+sha512hex(tarball)+`"
hash-type = "SHA512"
origin = { type = "download", uri = "`+serverURL+`/origin/extra.tar.gz" }
`)
	writeFile(t, filepath.Join(dir, "comps/hello/hello.spec"), "Name: hello\nVersion: 1\nRelease: 1\nSource0: hello-1.tar.gz\nSource1: extra.tar.gz\n\n%description\nHi.\n")
	writeFile(t, filepath.Join(dir, "comps/hello/sources"), "SHA512 (hello-1.tar.gz) = "+sha512hex(tarball)+"\n")
	return dir
}

// TestLookasideDownloads prepares sources through a flaky lookaside, then offline from the cache.
func TestLookasideDownloads(t *testing.T) {
	s := newLookaside(t)
	project := lookasideProject(t, s.URL)
	e := newEnv(t)
	s.setFault(func(w http.ResponseWriter, n int64) bool {
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	out := filepath.Join(t.TempDir(), "out")
	e.mustAzldev(project, "component", "prepare-sources", "-p", "hello", "-o", out, "--without-git")
	for _, f := range []string{"hello-1.tar.gz", "extra.tar.gz"} {
		if got := mustRead(t, filepath.Join(out, f)); string(got) != string(tarball) {
			t.Errorf("%s: wrong content", f)
		}
	}
	sourcesText := string(mustRead(t, filepath.Join(out, "sources")))
	if !strings.Contains(sourcesText, "SHA512 (extra.tar.gz) = "+sha512hex(tarball)) {
		t.Errorf("sources file:\n%s", sourcesText)
	}
	// Offline: the server is gone, the cache serves both files.
	s.Close()
	out2 := filepath.Join(t.TempDir(), "out")
	e.mustAzldev(project, "component", "prepare-sources", "-p", "hello", "-o", out2, "--without-git")
	if got := mustRead(t, filepath.Join(out2, "hello-1.tar.gz")); string(got) != string(tarball) {
		t.Error("cache hit served wrong content")
	}
}

// TestLookasideFailures checks that persistent faults end in retries and a
// clear error, leaving nothing in the output or the cache.
func TestLookasideFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		fault func(w http.ResponseWriter, n int64) bool
		want  string
	}{
		"5xx": {func(w http.ResponseWriter, _ int64) bool {
			http.Error(w, "broken", http.StatusBadGateway)
			return true
		}, "502"},
		"wrong hash": {func(w http.ResponseWriter, _ int64) bool {
			_, _ = w.Write([]byte("not the tarball"))
			return true
		}, "hash mismatch"},
		"truncated body": {func(w http.ResponseWriter, _ int64) bool {
			w.Header().Set("Content-Length", "100000")
			_, _ = w.Write(tarball[:100])
			return true
		}, "failed after 2 attempts"},
		"stalled connection": {func(w http.ResponseWriter, _ int64) bool {
			w.Header().Set("Content-Length", "100000")
			_, _ = w.Write(tarball[:100])
			w.(http.Flusher).Flush()
			time.Sleep(3 * time.Second) // longer than AZLDEV_STALL_TIMEOUT; bounded
			return true
		}, "failed after 2 attempts"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newLookaside(t)
			project := lookasideProject(t, s.URL)
			e := newEnv(t)
			e.set("AZLDEV_STALL_TIMEOUT", "500ms")
			s.setFault(tc.fault)
			out := filepath.Join(t.TempDir(), "out")
			_, stderr, code := e.azldev(project, "component", "prepare-sources", "-p", "hello", "-o", out, "--without-git", "--network-retries", "2")
			if code == 0 {
				t.Fatal("prepare-sources succeeded against a failing lookaside")
			}
			if !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "hello-1.tar.gz") {
				t.Errorf("error lacks %q or the file name:\n%s", tc.want, stderr)
			}
			if s.requests.Load() < 2 {
				t.Errorf("%d requests; want retries", s.requests.Load())
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("output directory exists after a failed download")
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*"))
			if len(leftovers) > 0 {
				t.Errorf("left beside the output: %v", leftovers)
			}
			cached := 0
			_ = filepath.Walk(filepath.Join(e.home, ".cache", "azldev", "lookaside"), func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					cached++
				}
				return nil
			})
			if cached != 0 {
				t.Errorf("%d files in the lookaside cache after failures", cached)
			}
		})
	}
}

// TestDownloadSourcesCommand downloads a dist-git directory's lookaside files without a project.
func TestDownloadSourcesCommand(t *testing.T) {
	s := newLookaside(t)
	e := newEnv(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "hello.spec"), "Name: hello\n")
	writeFile(t, filepath.Join(dir, "sources"), "SHA512 (hello-1.tar.gz) = "+sha512hex(tarball)+"\n")
	out := filepath.Join(t.TempDir(), "dl")
	e.mustAzldev(dir, "advanced", "download-sources", "--lookaside-uri", s.URL+"/repo/$pkg/$filename/$hashtype/$hash/$filename", "-o", out)
	if got := mustRead(t, filepath.Join(out, "hello-1.tar.gz")); string(got) != string(tarball) {
		t.Error("downloaded content differs")
	}
	if _, stderr, code := e.azldev(dir, "advanced", "download-sources"); code == 0 || !strings.Contains(stderr, "exactly one of") {
		t.Errorf("missing lookaside source accepted (exit %d): %s", code, stderr)
	}
}
