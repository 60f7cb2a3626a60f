package e2e

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/testutil"
)

// buildProject writes a project of three local components — alpha (noarch,
// with a source file, a -doc subpackage and a virtual provide), beta (for
// the host's architecture, requiring alpha's provide) and broken (whose
// %install fails) — and commits it to a new git repository.
func buildProject(t *testing.T, e *env) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "azldev.toml"), `[project]
description = "build test"

[default-package-config]
publish = { rpm-channel = "base" }

[package-groups.docs]
packages = ["alpha-doc"]
default-package-config.publish.rpm-channel = "docs"

[components.alpha]
spec = { type = "local", path = "alpha/alpha.spec" }
publish = { srpm-channel = "src" }

[components.beta]
spec = { type = "local", path = "beta/beta.spec" }

[components.broken]
spec = { type = "local", path = "broken/broken.spec" }
`)
	writeFile(t, filepath.Join(dir, "alpha", "alpha.txt"), "alpha data\n")
	writeFile(t, filepath.Join(dir, "alpha", "alpha.spec"), `Name: alpha
Version: 1.0
Release: 1%{?dist}
Summary: Alpha
License: MIT
BuildArch: noarch
Source0: alpha.txt
Provides: alpha-feature = 2

%description
Alpha.

%package doc
Summary: Alpha documentation

%description doc
Alpha documentation.

%prep
cp %{SOURCE0} .

%install
install -Dm0644 alpha.txt %{buildroot}/usr/share/alpha/alpha.txt
install -Dm0644 alpha.txt %{buildroot}/usr/share/doc/alpha/README

%check
test -s alpha.txt

%files
/usr/share/alpha/alpha.txt

%files doc
/usr/share/doc/alpha/README

%changelog
* Wed Jan 07 2026 Build Test <test@example.invalid> - 1.0-1
- First
`)
	writeFile(t, filepath.Join(dir, "beta", "beta.spec"), `Name: beta
Version: 2.1
Release: 3
Summary: Beta
License: MIT
Requires: alpha-feature >= 2

%description
Beta.

%install
mkdir -p %{buildroot}/usr/bin
printf '#!/bin/sh\necho beta\n' > %{buildroot}/usr/bin/beta
chmod 0755 %{buildroot}/usr/bin/beta

%files
/usr/bin/beta

%changelog
* Thu Jan 08 2026 Build Test <test@example.invalid> - 2.1-3
- First
`)
	writeFile(t, filepath.Join(dir, "broken", "broken.spec"), strings.Replace(testutil.NoarchSpec("broken", "1", ""),
		"%install\n", "%install\nmkdir -p %{buildroot}/usr/share/broken\necho half-installed\nexit 1\n", 1))
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-qm", "project"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, e.vars
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// buildRow is a row of `component build -O json`.
type buildRow struct {
	ComponentName      string
	SRPMPaths          []string
	SRPMPublishChannel string
	RPMPaths           []string
	RPMChannels        []string
	RPMs               []struct{ Path, PackageName, PublishChannel string }
	Error, LogFile     string
}

func parseBuild(t *testing.T, out string) map[string]buildRow {
	t.Helper()
	var rows []buildRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	byName := map[string]buildRow{}
	for _, r := range rows {
		byName[r.ComponentName] = r
	}
	return byName
}

// packageFiles reads the packages (*.rpm) below dir: relative path → bytes.
func packageFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for rel, content := range snapshotDir(t, dir) {
		if strings.HasSuffix(rel, ".rpm") {
			files[rel] = content
		}
	}
	return files
}

// dnfQuery runs dnf repoquery over repo alone.
func dnfQuery(t *testing.T, repo string, args ...string) []string {
	t.Helper()
	base := []string{"repoquery", "-q", "--repofrompath=local," + repo, "--repo=local", "--setopt=cachedir=" + t.TempDir(), "--releasever=test"}
	out, err := exec.Command("dnf", append(base, args...)...).Output()
	if err != nil {
		t.Fatalf("dnf %v: %v", args, err)
	}
	return strings.Fields(strings.ReplaceAll(string(out), " = ", "="))
}

// TestBuildIntoLocalRepository builds a project with the rpmbuild backend
// into a local repository: the broken component fails (-k) and leaves
// nothing in the repository, dnf lists every package there with its
// provides, and a second build gives byte-identical packages.
func TestBuildIntoLocalRepository(t *testing.T) {
	testutil.NeedPrograms(t, "git", "rpmbuild", "rpmspec", "rpm", "createrepo_c", "dnf")
	e := newEnv(t)
	dir := buildProject(t, e)
	repo := filepath.Join(t.TempDir(), "repo")
	if err := os.Mkdir(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := e.azldev(dir, "component", "build", "-a", "-k", "-j", "2", "--backend", "rpmbuild", "--local-repo-with-publish", repo, "-O", "json")
	if code != 1 || !strings.Contains(stderr, "1 of 3 component(s) failed to build: broken") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rows := parseBuild(t, out)
	arch := strings.TrimSpace(string(must(exec.Command("rpm", "--eval", "%{_arch}").Output())))
	wantRPMs := map[string][]string{
		"alpha": {"out/rpms/base/alpha-1.0-1.noarch.rpm", "out/rpms/docs/alpha-doc-1.0-1.noarch.rpm"},
		"beta":  {"out/rpms/base/beta-2.1-3." + arch + ".rpm"},
	}
	for name, want := range wantRPMs {
		var got []string
		for _, p := range rows[name].RPMPaths {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, rel)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) || rows[name].Error != "" || len(rows[name].SRPMPaths) != 1 {
			t.Errorf("%s: %+v", name, rows[name])
		}
	}
	if r := rows["alpha"]; r.SRPMPublishChannel != "src" || r.SRPMPaths[0] != filepath.Join(dir, "out/srpms/alpha-1.0-1.src.rpm") {
		t.Errorf("alpha SRPM: %+v", r)
	}
	broken := rows["broken"]
	if !strings.Contains(broken.Error, "building the RPMs: rpmbuild failed (exit status 1)") || broken.LogFile != filepath.Join(dir, "build/logs/build/broken.log") {
		t.Errorf("broken: %+v", broken)
	}
	if log := string(mustRead(t, broken.LogFile)); !strings.Contains(log, "half-installed") {
		t.Errorf("broken's log:\n%s", log)
	}

	// The repository holds alpha's and beta's packages and metadata, nothing else.
	var entries []string
	filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(repo, p)
		if !d.IsDir() && !strings.HasPrefix(rel, "repodata/") {
			entries = append(entries, rel)
		}
		return err
	})
	if want := []string{"alpha-1.0-1.noarch.rpm", "alpha-doc-1.0-1.noarch.rpm", "beta-2.1-3." + arch + ".rpm"}; !slices.Equal(entries, want) {
		t.Errorf("repository holds %v", entries)
	}
	if names := dnfQuery(t, repo, "--qf", "%{name}"); !slices.Equal(names, []string{"alpha", "alpha-doc", "beta"}) {
		t.Errorf("dnf lists %v", names)
	}
	for pkg, want := range map[string][]string{
		"alpha":     {"alpha=1.0-1", "alpha-feature=2"},
		"alpha-doc": {"alpha-doc=1.0-1"},
		"beta":      {"beta=2.1-3", "beta(" + strings.ReplaceAll(arch, "_", "-") + ")=2.1-3"},
	} {
		if got := dnfQuery(t, repo, "--provides", pkg); !slices.Equal(got, want) {
			t.Errorf("%s provides %v, want %v", pkg, got, want)
		}
	}

	// A second build gives the same bytes, in the output and the repository.
	first, firstRepo := packageFiles(t, filepath.Join(dir, "out")), packageFiles(t, repo)
	e.mustAzldev(dir, "component", "build", "-p", "alpha", "-p", "beta", "--backend", "rpmbuild", "--local-repo-with-publish", repo)
	second, secondRepo := packageFiles(t, filepath.Join(dir, "out")), packageFiles(t, repo)
	if len(first) != 5 || !sameFiles(first, second) || !sameFiles(firstRepo, secondRepo) {
		t.Errorf("packages differ between two builds: %d and %d files in out/", len(first), len(second))
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestBuildRefusesBadRepositories checks that unusable local repositories
// stop the build before anything is built.
func TestBuildRefusesBadRepositories(t *testing.T) {
	testutil.NeedPrograms(t, "git", "rpmbuild", "createrepo_c")
	e := newEnv(t)
	dir := buildProject(t, e)
	corrupt := filepath.Join(t.TempDir(), "corrupt")
	os.Mkdir(corrupt, 0o755)
	if out, err := exec.Command("createrepo_c", "-q", corrupt).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	primary, _ := filepath.Glob(filepath.Join(corrupt, "repodata", "*-primary.xml.gz"))
	os.WriteFile(primary[0], []byte("not gzip"), 0o644)
	for args, want := range map[string]string{
		"--local-repo " + filepath.Join(dir, "missing"):                  "local repository " + filepath.Join(dir, "missing") + " does not exist",
		"--local-repo " + corrupt:                                        "local repository " + corrupt + ": corrupted repository metadata: repodata/" + filepath.Base(primary[0]) + ": sha256 checksum",
		"--local-repo-with-publish " + filepath.Join(dir, "out", "repo"): "overlaps the output directory " + filepath.Join(dir, "out"),
		"--local-repo-with-publish " + dir:                               "overlaps the output directory",
	} {
		_, stderr, code := e.azldev(dir, append([]string{"component", "build", "-a", "--backend", "rpmbuild"}, strings.Fields(args)...)...)
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d\n%s", args, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("something was built: %v", err)
	}
}

// TestBuildTinydistro builds the example distro on the host: motd and greet
// build, hello's BuildRequires (gcc, tiny-rpm-config) are reported missing
// from the host's rpm database before its binary build.
func TestBuildTinydistro(t *testing.T) {
	testutil.NeedPrograms(t, "git", "rpmbuild", "rpmspec", "rpm")
	if out, err := exec.Command("rpm", "-q", "--whatprovides", "gcc").CombinedOutput(); err == nil {
		t.Skipf("the host's rpm database provides gcc: %s", out)
	}
	e := newEnv(t)
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", "../../examples/tinydistro/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, stderr, code := e.azldev(dir, "component", "build", "-a", "-k", "--without-git", "-O", "csv")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"greet,built,greet-0.4-1.src.rpm,greet-0.4-1.noarch.rpm (base),,\n",
		"motd,built,motd-1.0-1.src.rpm,motd-1.0-1.noarch.rpm (extras),,\n",
		"hello,failed,,,\"building the RPMs: 2 BuildRequires missing from the host's rpm database",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, want := range []string{"the project has no mock configuration: building on the host with the rpmbuild backend",
		`gcc: not provided by the host or any local repository\n  tiny-rpm-config: not provided by the host or any local repository`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q in\n%s", want, stderr)
		}
	}
}

// TestInterruptBuild interrupts a build whose %build hangs: azldev exits
// 130 after printing Interrupted, rpmbuild and its children are gone, and
// neither the output, the repository nor the work and log directories keep
// anything of the build.
func TestInterruptBuild(t *testing.T) {
	testutil.NeedPrograms(t, "git", "rpmbuild", "rpmspec", "rpm", "createrepo_c")
	e := newEnv(t)
	dir := buildProject(t, e)
	marker := filepath.Join(t.TempDir(), "building")
	writeFile(t, filepath.Join(dir, "alpha", "alpha.spec"), strings.Replace(string(mustRead(t, filepath.Join(dir, "alpha", "alpha.spec"))),
		"%install\n", "%build\ntouch "+marker+"\nsleep 4242\n\n%install\n", 1))
	repo := filepath.Join(t.TempDir(), "repo")
	os.Mkdir(repo, 0o755)
	cmd := exec.Command(binary, "component", "build", "-p", "alpha", "--without-git", "--backend", "rpmbuild", "--local-repo-with-publish", repo)
	cmd.Dir, cmd.Env = dir, e.vars
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); !fileExists(marker); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("%%build did not start:\n%s", stderr.String())
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("azldev did not exit within 15s of SIGINT:\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "Interrupted") {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
	time.Sleep(200 * time.Millisecond)
	if pids := processesRunning("sleep", "4242"); len(pids) > 0 {
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		t.Errorf("the build's processes survived: %v", pids)
	}
	if files := snapshotDir(t, repo); len(files) == 0 || !allUnder(files, "repodata/") {
		t.Errorf("repository holds %v", files)
	}
	for _, p := range []string{"out", "build/work/alpha/build", "build/logs/build/alpha.log"} {
		if fileExists(filepath.Join(dir, p)) {
			t.Errorf("%s is left behind", p)
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func allUnder(files map[string]string, prefix string) bool {
	for f := range files {
		if !strings.HasPrefix(f, prefix) {
			return false
		}
	}
	return true
}

// processesRunning returns the pids whose command line is exactly argv.
func processesRunning(argv ...string) []int {
	want := strings.Join(argv, "\x00") + "\x00"
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline")); err == nil && string(cmdline) == want {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestBuildAutorelease builds a spec using %autorelease and %autochangelog,
// which the host's rpm does not know: the native rpmautospec expands them
// from the project's history before the SRPM is built.
func TestBuildAutorelease(t *testing.T) {
	testutil.NeedPrograms(t, "git", "rpmbuild", "rpmspec", "rpm")
	e := newEnv(t)
	dir := buildProject(t, e)
	spec := strings.Replace(strings.Replace(string(mustRead(t, filepath.Join(dir, "alpha", "alpha.spec"))),
		"Release: 1%{?dist}", "Release: %autorelease", 1), "%changelog\n", "%changelog\n%autochangelog\n", 1)
	spec = spec[:strings.Index(spec, "%autochangelog\n")+len("%autochangelog\n")]
	writeFile(t, filepath.Join(dir, "alpha", "alpha.spec"), spec)
	out := e.mustAzldev(dir, "component", "build", "-p", "alpha", "--without-git", "--backend", "rpmbuild", "-O", "csv")
	if !strings.Contains(out, "alpha,built,alpha-1.0-1.src.rpm,") {
		t.Errorf("got\n%s", out)
	}
}
