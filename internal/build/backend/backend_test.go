package backend

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/azlforge/azldev/internal/build/localrepo"
	"github.com/azlforge/azldev/internal/testutil"
)

func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }

var req = Request{Component: "hello", SourcesDir: "/w/sources", WorkDir: "/w/build", LocalRepos: []string{"/r/one", "/r/two"}}

var reproducibleArgs = []string{
	"--define", "source_date_epoch_from_changelog 1", "--define", "use_source_date_epoch_as_buildtime 1",
	"--define", "clamp_mtime_to_source_date_epoch 1", "--define", "_buildhost reproducible",
}

func join(parts ...[]string) []string { return slices.Concat(parts...) }

func TestRPMBuildArgs(t *testing.T) {
	top := []string{"--define", "_topdir /w/build/rpmbuild", "--define", "_tmppath /w/build/rpmbuild/tmp"}
	want := join([]string{"-bs"}, top, reproducibleArgs,
		[]string{"--define", "_sourcedir /w/sources", "--define", "_specdir /w/sources", "--define", "_srcrpmdir /w/out", "/w/sources/hello.spec"})
	if got := srpmArgs(req, "/w/out"); !slices.Equal(got, want) {
		t.Errorf("srpm:\n got %q\nwant %q", got, want)
	}
	r := req
	r.NoCheck = true
	want = join([]string{"--rebuild"}, top, reproducibleArgs, []string{"--define", "_rpmdir /w/rpms", "--nocheck", "/w/x.src.rpm"})
	if got := rebuildArgs(r, "/w/x.src.rpm", "/w/rpms"); !slices.Equal(got, want) {
		t.Errorf("rebuild:\n got %q\nwant %q", got, want)
	}
}

func TestMockArgs(t *testing.T) {
	m := Mock{Config: "/p/mock/azl4.cfg", ConfigOpts: []string{"a=1", "b=x y"}}
	common := join([]string{"--quiet", "-r", "/p/mock/azl4.cfg", "--configdir", "/p/mock", "--uniqueext", "hello",
		"--config-opts", "a=1", "--config-opts", "b=x y", "--addrepo", "file:///r/one", "--addrepo", "file:///r/two"}, reproducibleArgs)
	want := join(common, []string{"--resultdir", "/w/srpm", "--buildsrpm", "--spec", "/w/sources/hello.spec", "--sources", "/w/sources"})
	if got := m.srpmArgs(req, "/w/srpm"); !slices.Equal(got, want) {
		t.Errorf("srpm:\n got %q\nwant %q", got, want)
	}
	for preserve, cleanup := range map[Preserve][]string{
		PreserveOnFailure: {"--config-opts", "cleanup_on_success=True", "--config-opts", "cleanup_on_failure=False"},
		PreserveAlways:    {"--no-cleanup-after"},
		PreserveNever:     {"--cleanup-after"},
	} {
		m.Preserve = preserve
		want := join(common, cleanup, []string{"--resultdir", "/w/rpms", "--rebuild", "/w/x.src.rpm"})
		if got := m.rebuildArgs(req, "/w/x.src.rpm", "/w/rpms"); !slices.Equal(got, want) {
			t.Errorf("rebuild, %s:\n got %q\nwant %q", preserve, got, want)
		}
	}
	m = Mock{Config: "/c.cfg", Verbose: true, Preserve: PreserveNever}
	r := Request{Component: "c", SourcesDir: "/s", NoCheck: true}
	want = join([]string{"--verbose", "-r", "/c.cfg", "--configdir", "/", "--uniqueext", "c"}, reproducibleArgs,
		[]string{"--cleanup-after", "--nocheck", "--resultdir", "/o", "--rebuild", "/x.src.rpm"})
	if got := m.rebuildArgs(r, "/x.src.rpm", "/o"); !slices.Equal(got, want) {
		t.Errorf("verbose, nocheck:\n got %q\nwant %q", got, want)
	}
}

// fakePath makes PATH a new directory holding only links to the named host
// programs and empty scripts for the fake ones, and returns it.
func fakePath(t *testing.T, real []string, fake ...string) string {
	t.Helper()
	bin := t.TempDir()
	for _, p := range real {
		if path, err := exec.LookPath(p); err == nil {
			os.Symlink(path, filepath.Join(bin, p))
		}
	}
	for _, p := range fake {
		os.WriteFile(filepath.Join(bin, p), []byte("#!/bin/sh\n"), 0o755)
	}
	t.Setenv("PATH", bin)
	return bin
}

func TestNewChoosesTheBackend(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "azl.cfg")
	os.WriteFile(cfg, nil, 0o644)
	missing := filepath.Join(t.TempDir(), "missing.cfg")
	cases := []struct {
		name     string
		settings Settings
		fake     []string
		want     string // backend name, or the error's start
		note     string
	}{
		{"auto with mock and a config", Settings{MockConfig: cfg}, []string{"mock", "rpmbuild"}, "mock", ""},
		{"auto without mock", Settings{MockConfig: cfg}, []string{"rpmbuild"}, "rpmbuild", "mock is not installed: building on the host with the rpmbuild backend"},
		{"auto without a config", Settings{}, []string{"mock", "rpmbuild"}, "rpmbuild", "the project has no mock configuration: building on the host with the rpmbuild backend"},
		{"rpmbuild", Settings{Name: "rpmbuild", MockConfig: cfg}, []string{"mock", "rpmbuild"}, "rpmbuild", ""},
		{"mock", Settings{Name: "mock", MockConfig: cfg}, []string{"mock"}, "mock", ""},
		{"mock missing", Settings{Name: "mock", MockConfig: cfg}, []string{"rpmbuild"},
			"error: mock is required but was not found in PATH; install it (e.g. `apt-get install mock` or `dnf install mock`); or build on the host with --backend rpmbuild", ""},
		{"mock without a config", Settings{Name: "mock"}, []string{"mock"},
			"error: the mock backend needs a mock configuration: set mock-config for the project's default distro version, or build on the host with --backend rpmbuild", ""},
		{"rpmbuild missing", Settings{}, nil, "error: rpmbuild is required but was not found in PATH", ""},
		{"mock config missing", Settings{MockConfig: missing}, []string{"mock", "rpmbuild"},
			"error: mock configuration " + missing + " (mock-config of the project's default distro version): no such file or directory", ""},
		{"koji", Settings{Name: "koji"}, nil, "error: unknown build backend \"koji\" (want rpmbuild or mock)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fakePath(t, nil, c.fake...)
			b, note, err := New(c.settings)
			got := ""
			if err != nil {
				got = "error: " + err.Error()
			} else {
				got = b.Name()
			}
			if !strings.HasPrefix(got, c.want) || note != c.note {
				t.Errorf("got %q, note %q\nwant %q, note %q", got, note, c.want, c.note)
			}
		})
	}
}

func TestPreserve(t *testing.T) {
	for _, s := range []string{"on-failure", "always", "never"} {
		if p, err := ParsePreserve(s); err != nil || string(p) != s {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := ParsePreserve("sometimes"); err == nil || err.Error() != `invalid --preserve-buildenv "sometimes" (want on-failure, always or never)` {
		t.Errorf("got %v", err)
	}
	for p, want := range map[Preserve][2]bool{PreserveOnFailure: {false, true}, PreserveAlways: {true, true}, PreserveNever: {false, false}} {
		if p.Keep(false) != want[0] || p.Keep(true) != want[1] {
			t.Errorf("%s", p)
		}
	}
}

// newRequest writes spec (and extra files) as prepared sources of name in
// work/sources, as builds do, and returns a request for them.
func newRequest(t *testing.T, name, spec string, extra map[string]string, work string) Request {
	t.Helper()
	sources := filepath.Join(work, "sources")
	files := map[string]string{name + ".spec": spec}
	for k, v := range extra {
		files[k] = v
	}
	for k, v := range files {
		if err := os.MkdirAll(sources, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sources, k), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Request{Component: name, SourcesDir: sources, WorkDir: work, Log: &syncBuffer{}}
}

// syncBuffer is a buffer safe for a program's concurrent stdout and stderr.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// build runs both stages of b for req and returns the packages' paths.
func build(t *testing.T, b Backend, req Request) (string, []string) {
	t.Helper()
	srpm, err := b.SRPM(context.Background(), req)
	if err != nil {
		t.Fatalf("srpm: %v\n%s", err, req.Log)
	}
	rpms, err := b.RPMs(context.Background(), req, srpm)
	if err != nil {
		t.Fatalf("rpms: %v\n%s", err, req.Log)
	}
	return srpm, rpms
}

const sourcedSpec = `Name: sourced
Version: 2.0
Release: 1
Summary: A package with a source file
License: MIT
BuildArch: noarch
Source0: data.txt

%description
Installs its source.

%prep
cp %{SOURCE0} .

%install
install -Dm0644 data.txt %{buildroot}/usr/share/sourced/data.txt

%check
test -n "$SOURCE_DATE_EPOCH"

%files
/usr/share/sourced/data.txt

%changelog
* Tue Feb 03 2026 Test <test@example.com> - 2.0-1
- Second
* Mon Jan 05 2026 Test <test@example.com> - 1.0-1
- First
`

// TestRPMBuildIsReproducible builds a component twice from freshly written
// sources (new file times) in the same work directory and compares bytes.
func TestRPMBuildIsReproducible(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "rpmspec", "rpm")
	work := filepath.Join(t.TempDir(), "work")
	var first [][]byte
	for i := range 2 {
		os.RemoveAll(work)
		req := newRequest(t, "sourced", sourcedSpec, map[string]string{"data.txt": "data\n"}, work)
		srpm, rpms := build(t, RPMBuild{}, req)
		if len(rpms) != 1 || filepath.Base(rpms[0]) != "sourced-2.0-1.noarch.rpm" || filepath.Base(srpm) != "sourced-2.0-1.src.rpm" {
			t.Fatalf("built %s, %v", srpm, rpms)
		}
		var got [][]byte
		for _, p := range []string{srpm, rpms[0]} {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, data)
		}
		if i == 1 {
			for j := range got {
				if !bytes.Equal(got[j], first[j]) {
					t.Errorf("package %d differs between two builds", j)
				}
			}
		}
		first = got
		log := req.Log.(*syncBuffer).String()
		if !strings.Contains(log, "+ rpmbuild -bs ") || !strings.Contains(log, "+ rpmbuild --rebuild ") {
			t.Errorf("log lacks the command lines:\n%s", log)
		}
	}
	out, err := exec.Command("rpm", "-qp", "--qf", "%{BUILDTIME} %{BUILDHOST} [%{FILEMTIMES}]", filepath.Join(work, "rpms", "noarch", "sourced-2.0-1.noarch.rpm")).Output()
	if err != nil {
		t.Fatal(err)
	}
	// Tue Feb 03 2026: the newest changelog entry (rpm takes midnight UTC).
	if want := "1770076800 reproducible 1770076800"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestRPMBuildNoCheck(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "rpmspec", "rpm")
	spec := strings.Replace(sourcedSpec, `test -n "$SOURCE_DATE_EPOCH"`, "exit 1", 1)
	req := newRequest(t, "sourced", spec, map[string]string{"data.txt": "data\n"}, t.TempDir())
	srpm, err := RPMBuild{}.SRPM(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (RPMBuild{}).RPMs(context.Background(), req, srpm); err == nil || !strings.Contains(err.Error(), "%check") {
		t.Errorf("a failing %%check passed: %v", err)
	}
	req.NoCheck = true
	if _, err := (RPMBuild{}).RPMs(context.Background(), req, srpm); err != nil {
		t.Errorf("--nocheck: %v", err)
	}
}

func TestRPMBuildReportsMissingBuildRequires(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "rpmspec", "rpm", "createrepo_c", "dnf")
	repo := t.TempDir()
	if err := localrepo.Publish(context.Background(), repo, []string{testutil.BuildRPM(t, "tiny-rpm-config", "1", "")}); err != nil {
		t.Fatal(err)
	}
	spec := testutil.NoarchSpec("needy", "1", "BuildRequires: tiny-rpm-config >= 1\nBuildRequires: azldev-nowhere\nBuildRequires: /usr/bin/azldev-nothing\n")
	req := newRequest(t, "needy", spec, nil, t.TempDir())
	req.LocalRepos = []string{repo}
	srpm, err := RPMBuild{}.SRPM(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = RPMBuild{}.RPMs(context.Background(), req, srpm)
	var br *BuildRequiresError
	if !errors.As(err, &br) {
		t.Fatalf("got %v", err)
	}
	want := "3 BuildRequires missing from the host's rpm database, which the rpmbuild backend builds with:\n" +
		"  /usr/bin/azldev-nothing: not provided by the host or any local repository\n" +
		"  azldev-nowhere: not provided by the host or any local repository\n" +
		"  tiny-rpm-config >= 1: provided by local repository " + repo + ", not installed on the host\n" +
		"install them on the host, or build in a chroot with --backend mock"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	if _, err := os.Stat(filepath.Join(req.WorkDir, "rpms")); err == nil {
		t.Error("the binary build started")
	}
}

func TestRPMBuildFailureIsLogged(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "rpmspec", "rpm")
	spec := strings.Replace(testutil.NoarchSpec("broken", "1", ""), "%install\n", "%install\necho about to fail; false\n", 1)
	req := newRequest(t, "broken", spec, nil, t.TempDir())
	srpm, err := RPMBuild{}.SRPM(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = RPMBuild{}.RPMs(context.Background(), req, srpm)
	if err == nil || !strings.Contains(err.Error(), "Bad exit status") {
		t.Fatalf("got %v", err)
	}
	if log := req.Log.(*syncBuffer).String(); !strings.Contains(log, "about to fail") || !strings.Contains(log, "Bad exit status") {
		t.Errorf("log:\n%s", log)
	}
}

// fakeMock is a mock stand-in: it records its arguments, writes packages
// (and, for --rebuild, the rebuilt SRPM mock also leaves) into
// --resultdir, and with FAKE_MOCK_FAIL set fails after writing build.log.
const fakeMock = `#!/bin/sh
echo "$@" >> "$FAKE_MOCK_CALLS"
while [ $# -gt 0 ]; do
	case "$1" in
	--resultdir) out=$2; shift ;;
	--buildsrpm) mode=srpm ;;
	--rebuild) mode=rpms ;;
	esac
	shift
done
if [ -n "$FAKE_MOCK_FAIL" ]; then
	echo "error: compiler exploded" > "$out/build.log"
	echo "mock: build failed" >&2
	exit 30
fi
echo srpm > "$out/hello-1-1.src.rpm"
[ "$mode" = rpms ] && echo rpm > "$out/hello-1-1.noarch.rpm" && echo log > "$out/build.log"
exit 0
`

func TestMockRuns(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "azl.cfg")
	os.WriteFile(cfg, nil, 0o644)
	bin := fakePath(t, []string{"sh"})
	os.WriteFile(filepath.Join(bin, "mock"), []byte(fakeMock), 0o755)
	calls := filepath.Join(t.TempDir(), "calls")
	t.Setenv("FAKE_MOCK_CALLS", calls)
	b, _, err := New(Settings{Name: MockName, MockConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	req := newRequest(t, "hello", "Name: hello\n", nil, t.TempDir())
	srpm, rpms := build(t, b, req)
	if srpm != filepath.Join(req.WorkDir, "srpm", "hello-1-1.src.rpm") || !slices.Equal(rpms, []string{filepath.Join(req.WorkDir, "rpms", "hello-1-1.noarch.rpm")}) {
		t.Errorf("got %s, %v", srpm, rpms)
	}
	data, _ := os.ReadFile(calls)
	if lines := strings.Split(strings.TrimSpace(string(data)), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "--buildsrpm --spec "+req.Spec()) ||
		!strings.HasSuffix(lines[1], "--rebuild "+srpm) {
		t.Errorf("calls:\n%s", data)
	}

	t.Setenv("FAKE_MOCK_FAIL", "1")
	req = newRequest(t, "hello", "Name: hello\n", nil, t.TempDir())
	_, err = b.RPMs(context.Background(), req, srpm)
	if err == nil || !strings.Contains(err.Error(), "mock: build failed") {
		t.Fatalf("got %v", err)
	}
	log := req.Log.(*syncBuffer).String()
	if !strings.Contains(log, "==> "+filepath.Join(req.WorkDir, "rpms", "build.log")+" <==\nerror: compiler exploded") {
		t.Errorf("log:\n%s", log)
	}
}
