package lookaside

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// payload returns n deterministic, non-repeating-looking bytes.
func payload(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31+i/257) ^ seed
	}
	return b
}

func sha512Hex(b []byte) string { s := sha512.Sum512(b); return hex.EncodeToString(s[:]) }
func sha256Hex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
func md5Hex(b []byte) string    { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// handlerFunc serves request number n (1-based, counted per server).
type handlerFunc func(n int, w http.ResponseWriter, r *http.Request)

// server is a loopback HTTP server counting the requests it receives.
type server struct {
	*httptest.Server
	hits atomic.Int32
	done chan struct{} // closed at cleanup to release blocked handlers
}

func newServer(t *testing.T, h handlerFunc) *server {
	t.Helper()
	s := &server{done: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(int(s.hits.Add(1)), w, r)
	}))
	t.Cleanup(s.Close) // runs last: handlers are released first
	t.Cleanup(func() { close(s.done) })
	return s
}

func (s *server) count() int { return int(s.hits.Load()) }

// serve writes data with a correct Content-Length.
func serve(w http.ResponseWriter, data []byte) {
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}

// stall sends the headers and the first part bytes of data, then blocks
// until the client goes away (or the test ends).
func (s *server) stall(w http.ResponseWriter, r *http.Request, data []byte, part int) {
	if part >= 0 {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:part])
		w.(http.Flusher).Flush()
	}
	select {
	case <-r.Context().Done():
	case <-s.done:
	case <-time.After(30 * time.Second):
	}
}

// truncate announces len(data) bytes, sends half of them and closes the
// connection.
func truncate(t *testing.T, w http.ResponseWriter, data []byte) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(data))
	buf.Write(data[:len(data)/2])
	buf.Flush()
}

// testDownloader returns a downloader with tiny delays for s.
func testDownloader(s *server, retries int) *Downloader {
	return &Downloader{
		Client:       s.Client(),
		Retries:      retries,
		InitialDelay: time.Millisecond,
		MaxDelay:     5 * time.Millisecond,
		ReadTimeout:  5 * time.Second,
	}
}

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogger(l *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// files lists the regular files and symlinks below dir (relative, sorted);
// a missing dir has none.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && p == dir {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", dir, err)
	}
	slices.Sort(out)
	return out
}

// assertFiles fails unless the files below dir are exactly want.
func assertFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Errorf("files in %s = %q, want %q", dir, got, want)
	}
}

// assertContent checks a file's bytes and its mode.
func assertContent(t *testing.T, path string, want []byte, mode fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading result: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: content differs (%d bytes, want %d)", path, len(got), len(want))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != mode {
		t.Errorf("%s: mode %v, want %v", path, info.Mode().Perm(), mode)
	}
}

// cacheRel is the cache-relative path of a SHA512 object.
func cacheRel(hash string) string { return "sha512/" + hash[:2] + "/" + hash }
