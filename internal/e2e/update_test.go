package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/testutil"
)

const corpusSpecs = "../../../shared/corpus/azl4/specs"

// upstreamProject writes a project whose components come from dist-git
// repositories under mirror (file:// URLs) at a snapshot.
func upstreamProject(t *testing.T, dir, distGitBase string, names []string) {
	t.Helper()
	var comps strings.Builder
	for _, n := range names {
		fmt.Fprintf(&comps, "[components.%s]\n", strconv.Quote(n))
	}
	writeFile(t, filepath.Join(dir, "azldev.toml"), `includes = ["components.toml"]
[project]
default-distro = { name = "azl", version = "1" }

[distros.fedora]
default-version = "43"
dist-git-base-uri = "`+distGitBase+`"
lookaside-base-uri = "http://127.0.0.1:9/lookaside/$pkg/$filename/$hashtype/$hash/$filename"
[distros.fedora.versions.43]
release-ver = "43"
dist-git-branch = "f43"

[distros.azl]
default-version = "1"
[distros.azl.versions.1]
release-ver = "1"
[distros.azl.versions.1.default-component-config]
spec = { type = "upstream", upstream-distro = { name = "fedora", version = "43", snapshot = "2026-02-24T00:00:00-08:00" } }
`)
	writeFile(t, filepath.Join(dir, "components.toml"), comps.String())
}

// corpusMirror builds one single-commit repository per corpus spec (up to n)
// and returns the component names and each repository's commit.
func corpusMirror(t *testing.T, root string, n int) ([]string, map[string]string) {
	t.Helper()
	if _, err := os.Stat(corpusSpecs); err != nil {
		t.Skip("corpus specs not available")
	}
	specs, err := filepath.Glob(filepath.Join(corpusSpecs, "*", "*", "*.spec"))
	if err != nil || len(specs) < n {
		t.Fatalf("found %d corpus specs: %v", len(specs), err)
	}
	sort.Strings(specs)
	var names []string
	when := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	for _, path := range specs[:n] {
		name := strings.TrimSuffix(filepath.Base(path), ".spec")
		files := map[string][]byte{name + ".spec": mustRead(t, path)}
		if src, err := os.ReadFile(filepath.Join(filepath.Dir(path), "sources")); err == nil {
			files["sources"] = src
		}
		commit := testutil.Commit{Files: files, Message: "Import " + name, Author: "Packager", Email: "p@example.invalid", Time: when}
		if err := testutil.BareRepo(filepath.Join(root, name+".git"), "f43", []testutil.Commit{commit}); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	heads := map[string]string{}
	for _, name := range names {
		head, err := os.ReadFile(filepath.Join(root, name+".git", "refs", "heads", "f43"))
		if err != nil {
			t.Fatal(err)
		}
		heads[name] = strings.TrimSpace(string(head))
	}
	return names, heads
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUpdateManyComponents resolves many upstream components from a local
// dist-git mirror, then checks that fresh locks start no git process.
func TestUpdateManyComponents(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 40
	}
	if v, err := strconv.Atoi(os.Getenv("AZLDEV_E2E_COMPONENTS")); err == nil {
		n = v
	}
	e := newEnv(t)
	mirror := t.TempDir()
	start := time.Now()
	names, heads := corpusMirror(t, mirror, n)
	t.Logf("built %d dist-git repositories in %v", n, time.Since(start))

	project := t.TempDir()
	upstreamProject(t, project, "file://"+mirror+"/$pkg.git", names)
	calls := e.countGit()

	start = time.Now()
	_, stderr, code, cpu := e.azldevTimed(project, "component", "update", "-a", "-q")
	if code != 0 {
		t.Fatalf("update failed: %s", stderr)
	}
	t.Logf("component update -a (%d components, cold): wall %v, CPU %v, %d git processes", n, time.Since(start), cpu, lines(calls))
	for _, name := range names {
		l, err := lockfile.Read(lockfile.Path(filepath.Join(project, "locks"), name))
		if err != nil {
			t.Fatal(err)
		}
		if l.UpstreamCommit != heads[name] || l.ImportCommit != heads[name] || !strings.HasPrefix(l.InputFingerprint, "sha256:") {
			t.Fatalf("%s: lock %+v, want commit %s", name, l, heads[name])
		}
	}
	if got := lines(calls); got > n+5 {
		t.Errorf("%d git processes for %d components; want about one each", got, n)
	}

	before := lines(calls)
	start = time.Now()
	out := e.mustAzldev(project, "component", "update", "-a", "-O", "json")
	t.Logf("component update -a (fresh): %v", time.Since(start))
	if got := lines(calls) - before; got != 0 {
		t.Errorf("fresh locks started %d git processes, want 0", got)
	}
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("fresh update reported changes: %s", out)
	}
	if _, stderr, code := e.azldev(project, "component", "update", "-a", "--check-only"); code != 0 {
		t.Errorf("--check-only on fresh locks failed: %s", stderr)
	}
}
