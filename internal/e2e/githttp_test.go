package e2e

import (
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/testutil"
)

// gitServer serves bare repositories under root over git's smart HTTP
// protocol (git http-backend as CGI) on loopback. fault, when set, may
// answer a request itself instead.
type gitServer struct {
	*httptest.Server
	requests atomic.Int64
	fault    atomic.Pointer[func(w http.ResponseWriter, n int64) bool]
}

func newGitServer(t *testing.T, root string) *gitServer {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git not available")
	}
	backend := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"},
	}
	s := &gitServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.requests.Add(1)
		if f := s.fault.Load(); f != nil && (*f)(w, n) {
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *gitServer) setFault(f func(w http.ResponseWriter, n int64) bool) { s.fault.Store(&f) }

// httpUpstream lays out one upstream repository with two commits, served over HTTP.
func httpUpstream(t *testing.T) (*gitServer, string) {
	t.Helper()
	root := t.TempDir()
	spec := "Name: hello\nVersion: 1\nRelease: 3%{?dist}\nSummary: Hi\nLicense: MIT\n\n%description\nHi.\n\n%files\n"
	commits := []testutil.Commit{
		{Files: map[string][]byte{"hello.spec": []byte(spec)}, Message: "Import", Author: "Up", Email: "up@example.invalid", Time: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
		{Files: map[string][]byte{"hello.spec": []byte(strings.Replace(spec, "Version: 1", "Version: 2", 1))}, Message: "Update to 2", Author: "Up", Email: "up@example.invalid", Time: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)},
	}
	if err := testutil.BareRepo(filepath.Join(root, "hello.git"), "f43", commits); err != nil {
		t.Fatal(err)
	}
	s := newGitServer(t, root)
	project := t.TempDir()
	upstreamProject(t, project, s.URL+"/$pkg.git", []string{"hello"})
	return s, project
}

// TestUpstreamOverHTTP resolves and prepares an upstream component from a
// smart-HTTP dist-git server, through transient server errors.
func TestUpstreamOverHTTP(t *testing.T) {
	s, project := httpUpstream(t)
	e := newEnv(t)
	s.setFault(func(w http.ResponseWriter, n int64) bool {
		if n <= 1 {
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	e.mustAzldev(project, "component", "update", "-p", "hello", "--network-retries", "3")
	lockText := mustRead(t, filepath.Join(project, "locks", "hello.lock"))
	if !strings.Contains(string(lockText), "upstream-commit = '") {
		t.Fatalf("lock:\n%s", lockText)
	}
	out := filepath.Join(t.TempDir(), "out")
	e.mustAzldev(project, "component", "prepare-sources", "-p", "hello", "-o", out, "--skip-sources", "--without-git")
	specText := mustRead(t, filepath.Join(out, "hello.spec"))
	if !strings.Contains(string(specText), "Version: 1") {
		t.Errorf("the snapshot (2026-02-24) selects the first commit; spec:\n%s", specText)
	}
	if _, err := os.Stat(filepath.Join(out, ".git")); err == nil {
		t.Error("--without-git output has a .git directory")
	}
}

// TestUpstreamServerFailures checks persistent failures: retries, then a
// clear error, with nothing left in the output or the mirror cache.
func TestUpstreamServerFailures(t *testing.T) {
	for name, fault := range map[string]func(w http.ResponseWriter, n int64) bool{
		"5xx": func(w http.ResponseWriter, _ int64) bool {
			http.Error(w, "broken", http.StatusInternalServerError)
			return true
		},
		"stalled connection": func(w http.ResponseWriter, _ int64) bool {
			w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			time.Sleep(4 * time.Second) // longer than AZLDEV_STALL_TIMEOUT; bounded
			return true
		},
		"dropped mid-response": func(w http.ResponseWriter, _ int64) bool {
			w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		},
		"truncated body": func(w http.ResponseWriter, _ int64) bool {
			w.Header().Set("Content-Length", "1000")
			w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("001e# service=git-upload-pack\n"))
			return true
		},
	} {
		t.Run(name, func(t *testing.T) {
			s, project := httpUpstream(t)
			e := newEnv(t)
			e.set("AZLDEV_STALL_TIMEOUT", "1s")
			s.setFault(fault)
			_, stderr, code := e.azldev(project, "component", "update", "-p", "hello", "--network-retries", "2")
			if code == 0 {
				t.Fatal("update succeeded against a failing server")
			}
			if !strings.Contains(stderr, "failed after 2 attempt(s)") || !strings.Contains(stderr, s.URL+"/hello.git") {
				t.Errorf("error does not name the attempts and the repository:\n%s", stderr)
			}
			if got := s.requests.Load(); got < 2 {
				t.Errorf("%d requests; want a retry", got)
			}
			if _, err := os.Stat(filepath.Join(project, "locks", "hello.lock")); err == nil {
				t.Error("a lock file was written after a failed resolution")
			}
			cache := filepath.Join(e.home, ".cache", "azldev", "distgit")
			entries, _ := os.ReadDir(cache)
			for _, en := range entries {
				if !strings.HasSuffix(en.Name(), ".lock") {
					t.Errorf("left in the mirror cache: %s", en.Name())
				}
			}
		})
	}
}
