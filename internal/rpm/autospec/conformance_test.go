package autospec

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/testutil"
)

// The render-* conformance cases recorded what rpmautospec wrote after the
// reference render. For the cases whose history is just the dist-git
// repository plus one lock commit, this rebuilds that history (with the
// runner's git commands, so commit ids match the recorded lock), runs
// Process on the upstream spec and compares the rpmautospec parts: the
// header block and the generated changelog.

// distGitSpec is distgit.json.
type distGitSpec struct {
	Repos []struct {
		Name     string         `json:"name"`
		Branch   string         `json:"branch"`
		Commits  []replayCommit `json:"commits"`
		Branches []struct {
			Name    string         `json:"name"`
			From    string         `json:"from"`
			Commits []replayCommit `json:"commits"`
		} `json:"branches"`
	} `json:"repos"`
}

// replayCommit is one commit of distgit.json.
type replayCommit struct {
	Dir           string          `json:"dir"`
	Message       string          `json:"message"`
	Author        [2]string       `json:"author"`
	AuthorDate    string          `json:"author_date"`
	Committer     *[2]string      `json:"committer"`
	CommitterDate string          `json:"committer_date"`
	Remove        []string        `json:"remove"`
	Merge         json.RawMessage `json:"merge"`
}

// lockCommit is the one project commit step of a case.
type lockCommit struct {
	Message, Author, Email, Date string
}

func TestConformanceRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("replays git histories")
	}
	root := testutil.SharedDir(t, "conformance/cases")
	dirs, err := filepath.Glob(filepath.Join(root, "render-*"))
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, dir := range dirs {
		c, ok := eligible(t, dir)
		if !ok {
			continue
		}
		ran++
		t.Run(filepath.Base(dir), func(t *testing.T) { c.check(t) })
	}
	if ran == 0 {
		t.Fatal("no eligible render case")
	}
}

// renderCase is an eligible conformance case.
type renderCase struct {
	dir, name, expected, upstream string
	repo                          distGitSpec
	lock                          lockCommit
}

// eligible loads a case with one dist-git repository, one lock commit and
// nothing that changes the history or the spec's version (overlays with
// that effect, upstream-name, dirty trees, staged copies).
func eligible(t *testing.T, dir string) (renderCase, bool) {
	c := renderCase{dir: dir}
	if strings.Contains(dir, "overlay-effect") || readJSON(t, filepath.Join(dir, "distgit.json"), &c.repo) != nil || len(c.repo.Repos) != 1 {
		return c, false
	}
	var steps []json.RawMessage
	if readJSON(t, filepath.Join(dir, "cmd"), &steps) != nil {
		return c, false
	}
	commits := 0
	for _, s := range steps {
		var step struct {
			Commit *lockCommit
			Copy   *string
		}
		if json.Unmarshal(s, &step) == nil && step.Copy != nil {
			return c, false
		}
		if step.Commit != nil {
			c.lock, commits = *step.Commit, commits+1
		}
	}
	c.name = c.repo.Repos[0].Name
	c.expected = filepath.Join(dir, "expected", "files", strings.ToLower(c.name[:1]), c.name, c.name+".spec")
	spec, err := os.ReadFile(c.expected)
	lock, lerr := os.ReadFile(filepath.Join(dir, "expected", "locks", c.name+".lock"))
	comps, _ := filepath.Glob(filepath.Join(dir, "project", "comps", "*", "*.toml"))
	for _, p := range comps {
		if b, _ := os.ReadFile(p); strings.Contains(string(b), "upstream-name") {
			return c, false
		}
	}
	if commits != 1 || err != nil || lerr != nil || !strings.HasPrefix(string(spec), "## START: Set by rpmautospec") {
		return c, false
	}
	for _, line := range strings.Split(string(lock), "\n") {
		if v, ok := strings.CutPrefix(line, "upstream-commit = '"); ok {
			c.upstream = strings.TrimSuffix(v, "'")
		}
	}
	return c, c.upstream != ""
}

// readJSON decodes a file.
func readJSON(t *testing.T, path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nil
}

// check replays the case and compares the rpmautospec parts.
func (c renderCase) check(t *testing.T) {
	work := c.replay(t)
	if strings.HasPrefix(gitRun(t, work, "cat-file", "-t", c.upstream+"^{commit}"), "commit") {
		gitRun(t, work, "checkout", "-q", c.upstream)
	}
	if got := gitRun(t, work, "rev-parse", "HEAD"); got != c.upstream {
		t.Skipf("replayed history does not reach the locked commit %s", c.upstream)
	}
	env := git.Identity(c.lock.Author, c.lock.Email, c.lock.Date)
	if _, err := (git.Repo{Dir: work, Env: env}).Run(context.Background(), "commit", "-q", "--allow-empty",
		"--no-verify", "-m", c.lock.Message+"\n\nProject commit: 0000000000000000000000000000000000000000"); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(c.expected)
	if err != nil {
		t.Fatal(err)
	}
	got := processed(t, filepath.Join(work, c.name+".spec"))
	checkText(t, rpmautospecParts(got), rpmautospecParts(string(want)))
}

// rpmautospecParts keeps the header block and the generated changelog.
func rpmautospecParts(spec string) string {
	head, _, _ := strings.Cut(spec, "## END: Set by rpmautospec\n")
	_, log, _ := strings.Cut(spec, "## START: Generated by rpmautospec\n")
	return head + "...\n" + log
}

// replay builds the dist-git work tree as the conformance runner does.
func (c renderCase) replay(t *testing.T) string {
	work := t.TempDir()
	r := c.repo.Repos[0]
	type branch struct {
		name, from string
		commits    []replayCommit
	}
	branches := []branch{{r.Branch, "", r.Commits}}
	if r.Branches != nil {
		branches = nil
		for _, b := range r.Branches {
			branches = append(branches, branch{b.Name, b.From, b.Commits})
		}
	}
	if branches[0].name == "" {
		branches[0].name = "main"
	}
	gitRun(t, work, "init", "-q", "-b", branches[0].name)
	for i, b := range branches {
		if i > 0 {
			if _, err := (git.Repo{Dir: work}).Run(context.Background(), "rev-parse", "--verify", "--quiet", "refs/heads/"+b.name); err == nil {
				gitRun(t, work, "checkout", "-q", b.name)
			} else if b.from != "" {
				gitRun(t, work, "checkout", "-q", "-b", b.name, b.from)
			} else {
				gitRun(t, work, "checkout", "-q", "-b", b.name)
			}
		}
		for _, cm := range b.commits {
			c.apply(t, work, cm)
		}
	}
	gitRun(t, work, "checkout", "-q", branches[0].name)
	return work
}

// apply makes one replayed commit.
func (c renderCase) apply(t *testing.T, work string, cm replayCommit) {
	if cm.Dir != "" {
		copyTree(t, filepath.Join(c.dir, "distgit", c.name, cm.Dir), work)
	}
	for _, rel := range cm.Remove {
		if err := os.RemoveAll(filepath.Join(work, rel)); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, work, "add", "-A")
	committer, cdate := cm.Author, cm.AuthorDate
	if cm.Committer != nil {
		committer = *cm.Committer
	}
	if cm.CommitterDate != "" {
		cdate = cm.CommitterDate
	}
	env := []string{"GIT_AUTHOR_NAME=" + cm.Author[0], "GIT_AUTHOR_EMAIL=" + cm.Author[1], "GIT_AUTHOR_DATE=" + cm.AuthorDate,
		"GIT_COMMITTER_NAME=" + committer[0], "GIT_COMMITTER_EMAIL=" + committer[1], "GIT_COMMITTER_DATE=" + cdate}
	repo := git.Repo{Dir: work, Env: env}
	ctx := context.Background()
	if len(cm.Merge) == 0 {
		if _, err := repo.Run(ctx, "commit", "-q", "--allow-empty", "--no-verify", "-m", cm.Message); err != nil {
			t.Fatal(err)
		}
		return
	}
	var merges []string
	if json.Unmarshal(cm.Merge, &merges) != nil {
		var one string
		if err := json.Unmarshal(cm.Merge, &one); err != nil {
			t.Fatal(err)
		}
		merges = []string{one}
	}
	args := []string{"commit-tree", gitRun(t, work, "write-tree")}
	for _, p := range append([]string{"HEAD"}, merges...) {
		args = append(args, "-p", gitRun(t, work, "rev-parse", "--verify", p+"^{commit}"))
	}
	id, err := repo.Output(ctx, append(args, "-m", cm.Message)...)
	if err != nil {
		t.Fatal(err)
	}
	gitRun(t, work, "update-ref", "HEAD", id)
}

// copyTree copies files over dst with mode 0644, as the runner does.
func copyTree(t *testing.T, src, dst string) {
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}
