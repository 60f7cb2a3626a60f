package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestWget downloads over https (the test server's certificate trusted
// through SSL_CERT_FILE), retries a failure, verifies a hash and refuses a
// mismatch without leaving a file.
func TestWget(t *testing.T) {
	var requests atomic.Int64
	body := []byte("release tarball\n")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/flaky.tar.gz" && requests.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	e := newEnv(t)
	certFile := filepath.Join(e.home, "ca.pem")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	e.set("SSL_CERT_FILE", certFile)
	dir := t.TempDir()
	sum := sha256.Sum256(body)
	good := hex.EncodeToString(sum[:])

	e.mustAzldev(dir, "advanced", "wget", srv.URL+"/pkg-1.0.tar.gz")
	if data, _ := os.ReadFile(filepath.Join(dir, "pkg-1.0.tar.gz")); string(data) != string(body) {
		t.Errorf("downloaded %q", data)
	}
	_, stderr, code := e.azldev(dir, "adv", "wget", srv.URL+"/flaky.tar.gz", "-o", "sub.tgz", "--hash-type", "SHA256", "--hash", good)
	if code != 0 || !strings.Contains(stderr, "download failed, retrying") || !fileExists(filepath.Join(dir, "sub.tgz")) {
		t.Errorf("flaky: exit %d\n%s", code, stderr)
	}
	os.Mkdir(filepath.Join(dir, "into"), 0o755)
	e.mustAzldev(dir, "adv", "wget", srv.URL+"/x/y.txt", "-o", "into")
	if !fileExists(filepath.Join(dir, "into", "y.txt")) {
		t.Error("-o DIR did not put the file in it")
	}

	bad := strings.Repeat("0", 64)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"hash mismatch", []string{srv.URL + "/mismatch.tgz", "--hash-type", "SHA256", "--hash", bad}, "hash mismatch: expected SHA256 " + bad},
		{"not found", []string{srv.URL + "/missing"}, "HTTP 404 Not Found"},
		{"untrusted certificate", []string{strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/a"}, "certificate"},
		{"no file name", []string{srv.URL + "/"}, "the URL names no file; give -o/--output"},
		{"unsupported scheme", []string{"ftp://example.org/a.tgz"}, `unsupported URL scheme "ftp"`},
		{"hash type alone", []string{srv.URL + "/a", "--hash-type", "SHA256"}, "--hash-type needs --hash"},
		{"malformed hash", []string{srv.URL + "/a", "--hash", "xyz"}, "invalid SHA512 hash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := e.azldev(dir, append([]string{"--network-retries", "1", "advanced", "wget"}, tc.args...)...)
			assertOneError(t, stderr, code, tc.want)
		})
	}
	if fileExists(filepath.Join(dir, "mismatch.tgz")) || fileExists(filepath.Join(dir, "missing")) {
		t.Error("a failed download left a file")
	}
}

// fakeMock puts a mock in PATH that records its arguments, one per line,
// writes a package into its --resultdir, and returns the record file.
func fakeMock(t *testing.T, e *env) string {
	t.Helper()
	bin := filepath.Join(e.home, "bin")
	record := filepath.Join(e.home, "mock-args")
	script := fmt.Sprintf(`#!/bin/sh
printf '%%s\n' "$@" > %q
while [ $# -gt 0 ]; do
	if [ "$1" = --resultdir ]; then mkdir -p "$2" && touch "$2/hello-1-1.x86_64.rpm"; fi
	shift
done
echo 'mock output'
echo 'mock progress' >&2
`, record)
	writeFile(t, filepath.Join(bin, "mock"), script)
	os.Chmod(filepath.Join(bin, "mock"), 0o755)
	e.set("PATH", bin+":"+os.Getenv("PATH"))
	return record
}

// mockProject is a project whose default distro version has a mock config.
func mockProject(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "azldev.toml"), `[project]
default-distro = { name = "azl", version = "4.0" }
[distros.azl]
default-version = "4.0"
[distros.azl.versions."4.0"]
release-ver = "4.0"
mock-config = "mock/azl.cfg"
`)
	writeFile(t, filepath.Join(dir, "mock", "azl.cfg"), "config_opts['root'] = 'azl'\n")
	writeFile(t, filepath.Join(dir, "hello-1-1.src.rpm"), "not really\n")
	return dir
}

// TestMockInvocations checks the exact mock command lines (mock is absent
// on the test machines; a recording stand-in takes its place) and the
// errors without mock or a mock config.
func TestMockInvocations(t *testing.T) {
	e := newEnv(t)
	dir := mockProject(t)
	cfg := filepath.Join(dir, "mock", "azl.cfg")
	t.Run("mock missing", func(t *testing.T) {
		_, stderr, code := e.azldev(dir, "advanced", "mock", "shell")
		assertOneError(t, stderr, code, "mock is required but was not found in PATH; install it (e.g. `apt-get install mock` or `dnf install mock`)")
	})
	record := fakeMock(t, e)
	args := func() string {
		data, _ := os.ReadFile(record)
		os.Remove(record)
		return strings.TrimSpace(strings.ReplaceAll(string(data), "\n", " "))
	}
	out, stderr, code := e.azldev(dir, "advanced", "mock", "build-rpms", "hello-1-1.src.rpm", "--no-check", "-O", "csv")
	got := args()
	prefix := "--quiet -r " + cfg + " --configdir " + filepath.Dir(cfg) + " --uniqueext hello "
	suffix := " --nocheck --resultdir " + filepath.Join(dir, "out", "rpms") + " --rebuild " + filepath.Join(dir, "hello-1-1.src.rpm")
	rpm := filepath.Join(dir, "out", "rpms", "hello-1-1.x86_64.rpm")
	if code != 0 || !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) || out != "RPM\n"+rpm+"\n" ||
		!strings.Contains(stderr, "+ mock --quiet -r "+cfg) || !strings.Contains(stderr, "mock output\nmock progress") {
		t.Errorf("build-rpms: exit %d, args\n  %s\nwant\n  %s...%s\nstdout %q stderr %q", code, got, prefix, suffix, out, stderr)
	}
	e.mustAzldev(dir, "-v", "adv", "mock", "shell", "--enable-network", "--", "rpm", "-q", "bash")
	if got, want := args(), "--verbose -r "+cfg+" --configdir "+filepath.Dir(cfg)+" --enable-network --shell -- rpm -q bash"; got != want {
		t.Errorf("shell: %s\nwant %s", got, want)
	}
	other := filepath.Join(e.home, "other.cfg")
	writeFile(t, other, "")
	e.mustAzldev(t.TempDir(), "adv", "mock", "shell", "--config", other)
	if got := args(); got != "--quiet -r "+other+" --configdir "+e.home+" --shell" {
		t.Errorf("--config without a project: %s", got)
	}
	_, stderr, _ = e.azldev(dir, "-n", "adv", "mock", "build-rpms", "hello-1-1.src.rpm", "-o", "dry")
	if args() != "" || !strings.Contains(stderr, "Dry run; would rebuild with mock srpm=hello-1-1.src.rpm config="+cfg) || fileExists(filepath.Join(dir, "dry")) {
		t.Errorf("dry run ran mock or created the output directory:\n%s", stderr)
	}

	noMockCfg := t.TempDir()
	writeFile(t, filepath.Join(noMockCfg, "azldev.toml"), "[project]\ndefault-distro = { name = \"azl\", version = \"1\" }\n[distros.azl.versions.1]\nrelease-ver = \"1\"\n")
	for _, tc := range []struct {
		name, dir string
		args      []string
		want      string
	}{
		{"no mock config", noMockCfg, []string{"shell"}, `mock config required: the project's default distro "azl" version "1" sets no mock-config (or give --config)`},
		{"missing SRPM", dir, []string{"build-rpms", "nope.src.rpm"}, "source RPM nope.src.rpm: not a readable file"},
		{"no SRPM", dir, []string{"build-rpms"}, "requires at least 1 arg(s)"},
		{"no project", t.TempDir(), []string{"shell"}, "no Azure Linux project found"},
		{"no output directory", t.TempDir(), []string{"build-rpms", "--config", other, other}, "give -o/--output-dir, or run in a project"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := e.azldev(tc.dir, append([]string{"advanced", "mock"}, tc.args...)...)
			assertOneError(t, stderr, code, tc.want)
		})
	}
	if args() != "" {
		t.Error("mock ran for a refused call")
	}
}
