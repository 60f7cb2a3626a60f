package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/testutil"
)

// historyRow is the part of a `component history -O json` row the tests check.
type historyRow struct {
	Component          string
	ConfigFiles        []struct{ Path, Kind string }
	ConfigCommits      []historyCommit
	Customizations     []struct{ Kind, Type, Value, Category, Group string }
	FingerprintChanges []historyCommit
}

type historyCommit struct{ Hash, Subject, Fingerprint string }

func decodeHistory(t *testing.T, out string) map[string]historyRow {
	t.Helper()
	var rows []historyRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	byName := map[string]historyRow{}
	for _, r := range rows {
		byName[r.Component] = r
	}
	return byName
}

// gitIn runs git in dir with a fixed identity and date.
func gitIn(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.invalid", "GIT_COMMITTER_NAME=Dev",
		"GIT_COMMITTER_EMAIL=dev@example.invalid", "GIT_AUTHOR_DATE=@1760000000 +0000", "GIT_COMMITTER_DATE=@1760000000 +0000")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// exampleRepo copies the example distro into a git repository with four
// commits: the import, locks for every component, a build option for hello
// (with its lock), and a comment in the shared groups file.
func exampleRepo(t *testing.T, e *env) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tinydistro")
	if err := os.CopyFS(dir, os.DirFS("../../examples/tinydistro")); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "Import")
	e.mustAzldev(dir, "component", "update", "-a")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "Lock")
	appendFile(t, filepath.Join(dir, "comps/hello/hello.comp.toml"), "\n[components.hello.build]\nwithout = [\"docs\"]\n")
	e.mustAzldev(dir, "component", "update", "-p", "hello")
	gitIn(t, dir, "commit", "-q", "-am", "hello: without docs")
	appendFile(t, filepath.Join(dir, "comps/groups.toml"), "# a comment\n")
	gitIn(t, dir, "commit", "-q", "-am", "Comment the groups")
	return dir
}

// TestHistoryExample runs component history on the example distro made a git
// repository: config commits, customizations, fingerprint changes, bare
// components and the shared modes.
func TestHistoryExample(t *testing.T) {
	e := newEnv(t)
	dir := exampleRepo(t, e)
	rows := decodeHistory(t, e.mustAzldev(dir, "component", "history", "-a", "-O", "json"))
	if len(rows) != 3 { // greet, hello and the upstream fortune-tiny have customizations; motd is bare
		t.Fatalf("rows %v", rows)
	}
	hello := rows["hello"]
	if subjects(hello.ConfigCommits) != "Comment the groups|hello: without docs|Import" || subjects(hello.FingerprintChanges) != "hello: without docs|Import" {
		t.Errorf("hello commits %q, fingerprint changes %q", subjects(hello.ConfigCommits), subjects(hello.FingerprintChanges))
	}
	var kinds []string
	for _, it := range hello.Customizations {
		kinds = append(kinds, it.Kind+":"+it.Type+":"+it.Group)
	}
	if strings.Join(kinds, " ") != "overlay:spec-add-tag: overlay:spec-search-replace: overlay:patch-add: build:without: build:with:login" {
		t.Errorf("hello customizations %v", kinds)
	}
	if hello.Customizations[2].Category != "upstream-backport" {
		t.Errorf("patch-add metadata %+v", hello.Customizations[2])
	}

	omit := decodeHistory(t, e.mustAzldev(dir, "component", "hist", "hello", "greet", "--shared", "omit", "-O", "json"))
	if subjects(omit["hello"].ConfigCommits) != "hello: without docs|Import" || len(omit["hello"].Customizations) != 4 {
		t.Errorf("hello with --shared omit: %+v", omit["hello"])
	}
	bare := decodeHistory(t, e.mustAzldev(dir, "component", "history", "-a", "--include-bare", "-O", "json"))
	if m, ok := bare["motd"]; !ok || len(m.ConfigCommits) != 0 || subjects(m.FingerprintChanges) != "Import" {
		t.Errorf("motd with --include-bare: %+v", m)
	}
	table := e.mustAzldev(dir, "component", "history", "-a")
	if !strings.Contains(table, "overlays: spec-add-tag×1, spec-search-replace×1, patch-add×1 [upstream-backport×1]; build: without=docs, with=login") ||
		!strings.Contains(table, "│ 3 (1 shared)") {
		t.Errorf("table:\n%s", table)
	}
}

// TestHistoryBadInput checks the refusals: no repository, bad --shared, no project.
func TestHistoryBadInput(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "p")
	if err := os.CopyFS(dir, os.DirFS("../../examples/tinydistro")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir string
		args      []string
		want      string
	}{
		{"not a repository", dir, []string{"component", "history", "-a"}, "component history needs the project in a git repository"},
		{"bad --shared", dir, []string{"component", "history", "-a", "--shared", "hide"}, `invalid --shared "hide" (want show or omit)`},
		{"no project", t.TempDir(), []string{"component", "history", "-a"}, "no Azure Linux project found"},
		{"unknown component", dir, []string{"component", "history", "nope"}, "component not found: `nope`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := e.azldev(tc.dir, tc.args...)
			assertOneError(t, stderr, code, tc.want)
		})
	}
}

// subjects joins the commits' subjects with "|".
func subjects(commits []historyCommit) string {
	var s []string
	for _, c := range commits {
		s = append(s, c.Subject)
	}
	return strings.Join(s, "|")
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// corpusHistory is a git repository made from a copy of the real tree with
// synthetic commits on top, and what they did to each component.
type corpusHistory struct {
	dir      string
	edits    map[string]int // component → synthetic commits that edited its own .comp.toml
	fpChange map[string]int // component → commits that changed its lock's fingerprint
}

// newCorpusHistory copies the corpus (without its rendered specs unless
// withSpecs) into a repository (one import commit), then adds n synthetic commits with one git fast-import: the first locks
// every component; every 100th rewrites a quarter of the locks (an update of
// everything); the others edit one or two components' configuration files
// (their own .comp.toml, else the shared components.toml) and refresh their
// locks.
func newCorpusHistory(t testing.TB, e *env, n int, withSpecs bool) *corpusHistory {
	t.Helper()
	corpus := testutil.CorpusDir(t)
	dir := filepath.Join(t.TempDir(), "azl4")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		if entry.Name() == "specs" && !withSpecs {
			continue
		}
		if out, err := exec.Command("cp", "-a", filepath.Join(corpus, entry.Name()), dir).CombinedOutput(); err != nil {
			t.Fatalf("copying the corpus: %v\n%s", err, out)
		}
	}
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "config", "gc.auto", "0")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "Import the Azure Linux 4 tree")
	csv := e.mustAzldev(dir, "component", "list", "-a", "-O", "csv")
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
		name, _, _ := strings.Cut(line, ",")
		names = append(names, name)
	}
	sort.Strings(names)
	h := &corpusHistory{dir: dir, edits: map[string]int{}, fpChange: map[string]int{}}
	stream := h.stream(t, names, n)
	if _, err := command.Run(context.Background(), command.Cmd{Program: "git", Args: []string{"fast-import", "--quiet"}, Dir: dir, Stdin: bytes.NewReader(stream)}); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "reset", "-q", "--hard", "main")
	return h
}

// stream renders the synthetic commits in fast-import format.
func (h *corpusHistory) stream(t testing.TB, names []string, n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	fp := map[string]string{}
	var b bytes.Buffer
	when := int64(1760000000)
	for i := 1; i <= n; i++ {
		when += 3600
		subject, files := h.syntheticCommit(t, i, names, rng, fp)
		fmt.Fprintf(&b, "commit refs/heads/main\ncommitter Dev%d <dev%d@example.invalid> %d +0000\ndata %d\n%s\n", i%7, i%7, when, len(subject), subject)
		if i == 1 {
			b.WriteString("from refs/heads/main^0\n")
		}
		for _, p := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintf(&b, "M 100644 inline %s\ndata %d\n%s\n", p, len(files[p]), files[p])
		}
	}
	return b.Bytes()
}

// syntheticCommit returns commit i's subject and changed files.
func (h *corpusHistory) syntheticCommit(t testing.TB, i int, names []string, rng *rand.Rand, fp map[string]string) (string, map[string][]byte) {
	files := map[string][]byte{}
	relock := func(name string) {
		l := lockfile.New()
		l.InputFingerprint = fmt.Sprintf("sha256:%064x", rng.Uint64())
		l.UpstreamCommit = fmt.Sprintf("%040x", rng.Uint64())
		l.ImportCommit = "0123456789abcdef0123456789abcdef01234567"
		files["locks/"+name+".lock"] = l.Marshal()
		fp[name] = l.InputFingerprint
		h.fpChange[name]++
	}
	switch {
	case i == 1:
		for _, name := range names {
			relock(name)
		}
		return "Lock every component", files
	case i%100 == 0:
		for j := i / 100 % 4; j < len(names); j += 4 {
			relock(names[j])
		}
		return fmt.Sprintf("Update a quarter of the components (%d)", i), files
	}
	var edited []string
	for range 1 + rng.IntN(2) {
		name := names[rng.IntN(len(names))]
		own := filepath.Join("base/comps", name, name+".comp.toml")
		target := own
		if _, err := os.Stat(filepath.Join(h.dir, own)); err != nil {
			target = "base/comps/components.toml"
		} else {
			h.edits[name]++
		}
		content, ok := files[target]
		if !ok {
			content = h.read(t, target)
		}
		files[target] = fmt.Appendf(content, "# synthetic change %d for %s\n", i, name)
		h.write(t, target, files[target])
		relock(name)
		edited = append(edited, name)
	}
	return "Tweak " + strings.Join(edited, ", "), files
}

// read returns a file of the repository's current synthetic state.
func (h *corpusHistory) read(t testing.TB, rel string) []byte {
	data, err := os.ReadFile(filepath.Join(h.dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// write keeps the synthetic state of a file in the work tree (reset later).
func (h *corpusHistory) write(t testing.TB, rel string, data []byte) {
	if err := os.WriteFile(filepath.Join(h.dir, rel), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHistoryCorpus runs component history on a copy of the real tree with
// synthetic history and checks the counts of edited components.
func TestHistoryCorpus(t *testing.T) {
	e := newEnv(t)
	h := newCorpusHistory(t, e, 120, false)
	start := time.Now()
	out := e.mustAzldev(h.dir, "component", "history", "-a", "--include-bare", "--shared", "omit", "-O", "json")
	t.Logf("component history -a over %d commits: %v", 121, time.Since(start))
	rows := decodeHistory(t, out)
	checked := 0
	for name, edits := range h.edits {
		r, ok := rows[name]
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		// Its own file: the import commit and each synthetic edit.
		if len(r.ConfigCommits) != 1+edits || len(r.FingerprintChanges) != h.fpChange[name] {
			t.Errorf("%s: %d config commits (want %d), %d fingerprint changes (want %d)", name, len(r.ConfigCommits), 1+edits, len(r.FingerprintChanges), h.fpChange[name])
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no component with its own file was edited")
	}
	bare := decodeHistory(t, e.mustAzldev(h.dir, "component", "history", "-p", "389-ds-base", "--include-bare", "-O", "json"))["389-ds-base"]
	if len(bare.ConfigFiles) != 1 || bare.ConfigFiles[0].Path != "base/comps/components.toml" || len(bare.FingerprintChanges) != h.fpChange["389-ds-base"] {
		t.Errorf("389-ds-base: %+v", bare)
	}
	// The MCP tools answer on the real tree as the commands do.
	s := mcpSession(t, e, h.dir)
	var comps []map[string]any
	structured(t, callTool(t, s, "component_list", map[string]any{"all": true}), "components", &comps)
	var hist []historyRow
	structured(t, callTool(t, s, "component_history", map[string]any{"components": []string{"kernel"}}), "history", &hist)
	if len(comps) != len(h.fpChange) || len(hist) != 1 || len(hist[0].FingerprintChanges) != h.fpChange["kernel"] {
		t.Errorf("MCP: %d components (want %d), kernel history %+v", len(comps), len(h.fpChange), hist)
	}
}

// TestHistoryPerformance measures component history -a on a copy of the real
// tree with 520 synthetic commits against plain git log over the same paths
// (AZLDEV_HISTORY_BENCH=1; figures in docs/performance.md).
func TestHistoryPerformance(t *testing.T) {
	if os.Getenv("AZLDEV_HISTORY_BENCH") == "" {
		t.Skip("set AZLDEV_HISTORY_BENCH=1 to measure")
	}
	e := newEnv(t)
	h := newCorpusHistory(t, e, 520, true)
	commits := gitIn(t, h.dir, "rev-list", "--count", "HEAD")
	lockVersions := gitIn(t, h.dir, "log", "--format=", "--name-only", "--", "locks")
	t.Logf("repository: %s commits, %d lock versions", commits, strings.Count(lockVersions, "\n")+1)
	measure := func(label string, runs int, run func()) {
		var times []time.Duration
		for range runs {
			start := time.Now()
			run()
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		t.Logf("| %s | %.2f s (min %.2f, %d runs) |", label, times[runs/2].Seconds(), times[0].Seconds(), runs)
	}
	history := func(args ...string) func() {
		return func() { e.mustAzldev(h.dir, append([]string{"component", "history", "-a"}, args...)...) }
	}
	measure("azldev component history -a -O json", 5, history("-O", "json"))
	measure("azldev component history -a", 5, history())
	measure("azldev component history -a --include-bare", 5, history("--include-bare"))
	measure("azldev component history -a --include-bare --shared omit -O json", 5, history("--include-bare", "--shared", "omit", "-O", "json"))
	measure("azldev component history -a --include-bare -O json", 1, history("--include-bare", "-O", "json"))
	measure("git log --name-only -- azldev.toml base distro locks", 5, func() {
		gitIn(t, h.dir, "log", "--name-only", "-z", "--format=%H%x00%an%x00%ae%x00%at%x00%s", "--", "azldev.toml", "base", "distro", "locks")
	})
	names := slices.Sorted(maps.Keys(h.fpChange))[:100]
	measure("git log per lock file, 100 components", 3, func() {
		for _, n := range names {
			gitIn(t, h.dir, "log", "--format=%H", "--", "locks/"+n+".lock")
		}
	})
	t.Logf("components: %s", strconv.Itoa(len(h.fpChange)))
}
