package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/testutil"
)

// --- sequence ---------------------------------------------------------------

// render names the items: upstream hashes as is, changes by their Hash.
func render(items []item) string {
	var out []string
	for _, it := range items {
		if it.change != nil {
			out = append(out, "+"+it.change.Hash)
		} else {
			out = append(out, it.hash)
		}
	}
	return strings.Join(out, " ")
}

func TestSequence(t *testing.T) {
	ch := func(hash, upstream string) Change { return Change{Hash: hash, UpstreamCommit: upstream} }
	up := []string{"u1", "u2", "u3", "u4"}
	tests := []struct {
		name     string
		upstream []string
		changes  []Change
		want     string
		dropped  []string
	}{
		{
			name:     "reference example",
			upstream: []string{"A", "B", "M"},
			changes:  []Change{ch("add-locks", "A"), ch("add-br", "A"), ch("bump", "M")},
			want:     "A +add-locks +add-br B M +bump",
		},
		{
			name:    "all on the newest commit go on top in order",
			changes: []Change{ch("p1", "u4"), ch("p2", "u4")},
			want:    "u1 u2 u3 u4 +p1 +p2",
		},
		{
			name:    "each after its own commit",
			changes: []Change{ch("p1", "u1"), ch("p2", "u2"), ch("p3", "u3"), ch("p4", "u4")},
			want:    "u1 +p1 u2 +p2 u3 +p3 u4 +p4",
		},
		{
			name:    "a later change on an older commit is still inserted after that commit",
			changes: []Change{ch("p1", "u3"), ch("p2", "u1"), ch("p3", "u4")},
			want:    "u1 +p2 u2 u3 +p1 u4 +p3",
		},
		{
			name:    "empty upstream commit goes on top, chronologically with the newest",
			changes: []Change{ch("p1", "u2"), ch("p2", ""), ch("p3", "u4"), ch("p4", "")},
			want:    "u1 u2 +p1 u3 u4 +p2 +p3 +p4",
		},
		{
			name:    "unknown upstream commits are dropped with a warning",
			changes: []Change{ch("p1", "u1"), ch("p2", "abc1234"), ch("p3", "u4"), ch("p4", "zzz")},
			want:    "u1 +p1 u2 u3 u4 +p3",
			dropped: []string{"p2/abc1234", "p4/zzz"},
		},
		{
			name:    "comparison is exact (no prefix match)",
			changes: []Change{ch("p1", "u"), ch("p2", "U1"), ch("p3", "u4")},
			want:    "u1 u2 u3 u4 +p3",
			dropped: []string{"p1/u", "p2/U1"},
		},
		{
			name:     "single upstream commit",
			upstream: []string{"A"},
			changes:  []Change{ch("p1", "A"), ch("p2", ""), ch("p3", "A")},
			want:     "A +p1 +p2 +p3",
		},
		{
			name:    "no changes",
			changes: nil,
			want:    "u1 u2 u3 u4",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			upstream := tt.upstream
			if upstream == nil {
				upstream = up
			}
			var dropped []string
			warn := func(msg string, args ...any) {
				kv := map[any]any{}
				for i := 0; i+1 < len(args); i += 2 {
					kv[args[i]] = args[i+1]
				}
				if msg == "" {
					t.Error("empty warning")
				}
				dropped = append(dropped, fmt.Sprintf("%v/%v", kv["commit"], kv["upstreamCommit"]))
			}
			items := sequence(upstream, tt.changes, warn)
			if got := render(items); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !reflect.DeepEqual(dropped, tt.dropped) {
				t.Errorf("warnings for %v, want %v", dropped, tt.dropped)
			}
			// Every change item points at its own copy.
			seen := map[*Change]bool{}
			for _, it := range items {
				if it.change != nil {
					if seen[it.change] {
						t.Errorf("change %s shared between items", it.change.Hash)
					}
					seen[it.change] = true
				}
			}
		})
	}
}

// --- LockChanges --------------------------------------------------------------

// lockFile renders a lock with the given fields.
func lockFile(upstream, fp, resHash string) []byte {
	l := lockfile.New()
	l.ImportCommit = strings.Repeat("a", 40)
	l.UpstreamCommit, l.InputFingerprint, l.ResolutionInputHash = upstream, fp, resHash
	return l.Marshal()
}

// projectFiles is a project tree with an optional hello lock.
func projectFiles(comp string, lockData []byte) map[string][]byte {
	files := map[string][]byte{
		"azldev.toml":           []byte("[project]\n"),
		"comps/hello.comp.toml": []byte("[components.hello]\n" + comp),
	}
	if lockData != nil {
		files["locks/hello.lock"] = lockData
	}
	return files
}

func TestLockChanges(t *testing.T) {
	upA, upM := strings.Repeat("1", 40), strings.Repeat("2", 40)
	lock1 := lockFile(upA, "sha256:fp1", "sha256:r1")
	lock1b := lockFile(upA, "sha256:fp1", "sha256:r2") // resolution hash only
	lock2 := lockFile(upA, "sha256:fp2", "sha256:r2")
	lock3 := lockFile(upM, "sha256:fp3", "sha256:r3")
	dev := func(c testutil.Commit, name string) testutil.Commit {
		c.Author, c.Email = name, strings.ToLower(strings.ReplaceAll(name, " ", ""))+"@example.com"
		return c
	}
	addBR := dev(testutil.Commit{Files: projectFiles("# BR\n", lock2), Message: "hello: add make BR\n\nLonger body.\n", Time: at(3, 0),
		CommitterTime: at(9, 0), Committer: "Merger", CommitterEmail: "m@example.com"}, "Proj Dev2")
	commits := []testutil.Commit{
		dev(testutil.Commit{Files: projectFiles("", nil), Message: "project", Time: at(1, 0)}, "Proj Dev"),
		dev(testutil.Commit{Files: projectFiles("", lock1), Message: "add locks", Time: at(2, 0)}, "Proj Dev"),
		dev(testutil.Commit{Files: projectFiles("# edit\n", lock1), Message: "unrelated edit", Time: at(2, 1)}, "Proj Dev"),
		dev(testutil.Commit{Files: projectFiles("# edit\n", lock1b), Message: "refresh resolution hash", Time: at(2, 2)}, "Proj Dev"),
		addBR,
		dev(testutil.Commit{Files: projectFiles("# BR\n", lock3), Message: "bump snapshot", Time: at(4, 0)}, "Proj Dev3"),
		dev(testutil.Commit{Files: projectFiles("# later\n", lock3), Message: "later edit", Time: at(5, 0)}, "Proj Dev"),
	}
	dir, ids := workClone(t, commits)
	config := filepath.Join(dir, "comps", "hello.comp.toml")

	changes, head, err := LockChanges(context.Background(), config, filepath.Join(dir, "locks", "hello.lock"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Hash: ids["add locks"], Author: "Proj Dev", Email: "projdev@example.com", Time: at(2, 0).Unix(), Subject: "add locks", UpstreamCommit: upA},
		{Hash: ids["hello: add make BR"], Author: "Proj Dev2", Email: "projdev2@example.com", Time: at(3, 0).Unix(), Subject: "hello: add make BR", UpstreamCommit: upA},
		{Hash: ids["bump snapshot"], Author: "Proj Dev3", Email: "projdev3@example.com", Time: at(4, 0).Unix(), Subject: "bump snapshot", UpstreamCommit: upM},
	}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("changes:\n%+v\nwant\n%+v", changes, want)
	}
	wantHead, _ := lockfile.Parse(lock3)
	if head == nil || *head != *wantHead {
		t.Errorf("head lock %+v, want %+v", head, wantHead)
	}

	// The working-tree lock does not matter, only HEAD's history.
	if err := os.WriteFile(filepath.Join(dir, "locks", "hello.lock"), lockFile(upM, "sha256:dirty", "sha256:r3"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, head2, err := LockChanges(context.Background(), config, filepath.Join(dir, "locks", "hello.lock"))
	if err != nil || !reflect.DeepEqual(again, want) || *head2 != *wantHead {
		t.Errorf("with a dirty lock: %+v, %+v, %v", again, head2, err)
	}
}

// The first lock commit always counts, even when later commits only touch
// other fields; a lock committed once yields one change.
func TestLockChangesSingleCommit(t *testing.T) {
	l := lockFile(strings.Repeat("1", 40), "sha256:fp", "sha256:r")
	dir, ids := workClone(t, []testutil.Commit{
		{Files: projectFiles("", l), Message: "import", Author: "A", Email: "a@x", Time: at(1, 0)},
		{Files: projectFiles("", lockFile(strings.Repeat("1", 40), "sha256:fp", "sha256:other")), Message: "res", Author: "B", Email: "b@x", Time: at(2, 0)},
	})
	changes, _, err := LockChanges(context.Background(), filepath.Join(dir, "comps", "hello.comp.toml"), filepath.Join(dir, "locks", "hello.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Hash != ids["import"] || changes[0].Author != "A" {
		t.Errorf("changes %+v", changes)
	}
}

func TestLockChangesErrors(t *testing.T) {
	good := lockFile(strings.Repeat("1", 40), "sha256:fp", "sha256:r")
	tests := []struct {
		name    string
		commits []testutil.Commit
		lock    string // lock path relative to the work tree
		errIs   error
		errHas  string
	}{
		{
			name:    "lock never committed",
			commits: []testutil.Commit{{Files: projectFiles("", nil), Message: "p", Author: "A", Email: "a@x", Time: at(1, 0)}},
			lock:    "locks/hello.lock", errIs: ErrNoLock,
		},
		{
			name: "lock deleted at HEAD",
			commits: []testutil.Commit{
				{Files: projectFiles("", good), Message: "add", Author: "A", Email: "a@x", Time: at(1, 0)},
				{Files: projectFiles("", nil), Message: "delete", Author: "A", Email: "a@x", Time: at(2, 0)},
			},
			lock: "locks/hello.lock", errIs: ErrNoLock,
		},
		{
			name:    "another component's lock",
			commits: []testutil.Commit{{Files: projectFiles("", good), Message: "p", Author: "A", Email: "a@x", Time: at(1, 0)}},
			lock:    "locks/other.lock", errIs: ErrNoLock,
		},
		{
			name:    "unsupported version at HEAD",
			commits: []testutil.Commit{{Files: projectFiles("", []byte("version = 2\n")), Message: "p", Author: "A", Email: "a@x", Time: at(1, 0)}},
			lock:    "locks/hello.lock", errHas: "unsupported lock file version 2",
		},
		{
			name: "unparsable lock in history",
			commits: []testutil.Commit{
				{Files: projectFiles("", []byte("version = 1\nbogus = 1\n")), Message: "bad", Author: "A", Email: "a@x", Time: at(1, 0)},
				{Files: projectFiles("", good), Message: "fix", Author: "A", Email: "a@x", Time: at(2, 0)},
			},
			lock: "locks/hello.lock", errHas: "unknown field `bogus`",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := workClone(t, tt.commits)
			// Uncommitted locks do not count.
			if err := os.MkdirAll(filepath.Join(dir, "locks"), 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, tt.lock)); os.IsNotExist(err) {
				if err := os.WriteFile(filepath.Join(dir, tt.lock), good, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			changes, head, err := LockChanges(context.Background(), filepath.Join(dir, "comps", "hello.comp.toml"), filepath.Join(dir, tt.lock))
			if err == nil {
				t.Fatalf("no error: %+v %+v", changes, head)
			}
			if tt.errIs != nil && !errors.Is(err, tt.errIs) {
				t.Errorf("error %v, want %v", err, tt.errIs)
			}
			if tt.errHas != "" && !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}

func TestLockChangesOutsideRepository(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"comps/hello.comp.toml": "", "locks/hello.lock": string(lockFile("x", "y", "z"))})
	_, _, err := LockChanges(context.Background(), filepath.Join(dir, "comps", "hello.comp.toml"), filepath.Join(dir, "locks", "hello.lock"))
	if err == nil || !strings.Contains(err.Error(), "failed to find project repository") {
		t.Errorf("got %v", err)
	}
}

// --- Replay / Synthesize ---------------------------------------------------------

// distGit is an upstream fixture: A → B → merge(side forked from A) → D, with
// B committed by someone else than its author and later than authored.
func distGit(t *testing.T) (string, map[string]string) {
	t.Helper()
	files := func(release, extra string) map[string][]byte {
		f := map[string][]byte{
			"hello.spec": []byte("Name: hello\nRelease: " + release + "%{?dist}\n"),
			"sources":    []byte("SHA512 (hello.tar.gz) = 00\n"),
		}
		if extra != "" {
			f[extra] = []byte(extra + "\n")
		}
		return f
	}
	up := func(c testutil.Commit, name string) testutil.Commit {
		c.Author, c.Email = name, strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@fedora.invalid"
		return c
	}
	b := up(testutil.Commit{Files: files("1", "b"), Message: "commit B\n\nwith a body\n", Time: at(2, 0),
		Committer: "Release Bot", CommitterEmail: "bot@fedora.invalid", CommitterTime: at(3, 0)}, "Up B")
	side := up(testutil.Commit{Files: files("1", "side"), Message: "side", Time: at(2, 12), Parents: []int{1}}, "Up S")
	merge := up(testutil.Commit{Files: files("1", "merged"), Message: "merge side", Time: at(4, 0), Parents: []int{2, 3}}, "M")
	return workClone(t, []testutil.Commit{
		up(testutil.Commit{Files: files("1", ""), Message: "commit A: import", Time: at(1, 0)}, "Up A"),
		b, side, merge,
		up(testutil.Commit{Files: files("1", "d"), Message: "commit D", Time: at(5, 0)}, "Up D"),
	})
}

// overlay changes the work tree as prepare does after checking out.
func overlay(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "hello.spec"), []byte("Name: hello\nRelease: 4%{?dist}\nBuildRequires: make\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fix.patch"), []byte("patch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "sources")); err != nil {
		t.Fatal(err)
	}
}

func TestReplay(t *testing.T) {
	dir, ids := distGit(t)
	A, B, M, D := ids["commit A: import"], ids["commit B"], ids["merge side"], ids["commit D"]
	runGit(t, dir, "checkout", "-q", "--detach", M)
	overlay(t, dir)
	expected := expectedTree(t, dir) // the overlaid work tree

	changes := []Change{
		{Hash: strings.Repeat("a", 40), Author: "Proj Dev", Email: "dev@example.com", Time: at(10, 0).Unix(), Subject: "add locks", UpstreamCommit: A},
		{Hash: strings.Repeat("b", 40), Author: "Proj Dev2", Email: "dev2@example.com", Time: at(11, 0).Unix(), Subject: "hello: add make BR", UpstreamCommit: A},
		{Hash: strings.Repeat("c", 40), Author: "Proj Dev3", Email: "dev3@example.com", Time: at(12, 0).Unix(), Subject: "bump snapshot", UpstreamCommit: M},
	}
	var warnings []string
	if err := Replay(context.Background(), dir, A, changes, func(msg string, _ ...any) { warnings = append(warnings, msg) }); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %v", warnings)
	}

	// Linear history, newest first: bump, merge', B', add-BR, add-locks, A.
	log := strings.Split(runGit(t, dir, "log", "--format=%H %P|%s"), "\n")
	if len(log) != 6 {
		t.Fatalf("history:\n%s", strings.Join(log, "\n"))
	}
	var hashes, subjects []string
	for i, line := range log {
		ids, subject, _ := strings.Cut(line, "|")
		f := strings.Fields(ids)
		hashes, subjects = append(hashes, f[0]), append(subjects, subject)
		wantParents := 1
		if i == len(log)-1 {
			wantParents = 0
		}
		if len(f)-1 != wantParents {
			t.Errorf("%s has parents %v", subject, f[1:])
		}
		if i+1 < len(log) && len(f) > 1 && f[1] != strings.Fields(log[i+1])[0] {
			t.Errorf("%s is not on a single line of parents", subject)
		}
	}
	wantSubjects := []string{"bump snapshot", "merge side", "commit B", "hello: add make BR", "add locks", "commit A: import"}
	if !reflect.DeepEqual(subjects, wantSubjects) {
		t.Errorf("subjects %q, want %q", subjects, wantSubjects)
	}
	if hashes[5] != A {
		t.Errorf("import commit rewritten: %s, want %s", hashes[5], A)
	}
	for _, h := range hashes[:5] {
		if h == B || h == M || h == D {
			t.Errorf("commit %s kept its hash despite a new parent", h)
		}
	}

	// Replayed upstream commits: same tree, author, committer and message.
	for i, orig := range map[int]string{1: M, 2: B} {
		oh, om := rawCommit(t, dir, orig)
		nh, nm := rawCommit(t, dir, hashes[i])
		for _, key := range []string{"tree", "author", "committer"} {
			if headerValue(oh, key) != headerValue(nh, key) {
				t.Errorf("%s: %s %q, want %q", subjects[i], key, headerValue(nh, key), headerValue(oh, key))
			}
		}
		if om != nm {
			t.Errorf("%s: message %q, want %q", subjects[i], nm, om)
		}
	}

	// Synthetic commits: project identity and time, exact message, trees.
	aTree := runGit(t, dir, "rev-parse", A+"^{tree}")
	for i, c := range map[int]Change{0: changes[2], 3: changes[1], 4: changes[0]} {
		h, m := rawCommit(t, dir, hashes[i])
		who := fmt.Sprintf("%s <%s> %d +0000", c.Author, c.Email, c.Time)
		if headerValue(h, "author") != who || headerValue(h, "committer") != who {
			t.Errorf("%s: author %q committer %q, want %q", c.Subject, headerValue(h, "author"), headerValue(h, "committer"), who)
		}
		if want := c.Subject + "\n\nProject commit: " + c.Hash; m != want {
			t.Errorf("%s: message %q, want %q", c.Subject, m, want)
		}
		wantTree := aTree
		if i == 0 {
			wantTree = expected
		}
		if got := headerValue(h, "tree"); got != wantTree {
			t.Errorf("%s: tree %s, want %s", c.Subject, got, wantTree)
		}
	}
	if runGit(t, dir, "rev-parse", "HEAD") != hashes[0] {
		t.Error("HEAD is not the last commit")
	}
	if out := runGit(t, dir, "status", "--porcelain"); out != "" {
		t.Errorf("work tree differs from HEAD:\n%s", out)
	}
}

// expectedTree is the tree of dir's work tree, computed in a scratch index.
func expectedTree(t *testing.T, dir string) string {
	t.Helper()
	g := git.Repo{Dir: dir, Env: []string{"GIT_INDEX_FILE=" + filepath.Join(t.TempDir(), "index")}}
	if _, err := g.Run(context.Background(), "add", "-A", "."); err != nil {
		t.Fatal(err)
	}
	tree, err := g.Output(context.Background(), "write-tree")
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestReplayCases(t *testing.T) {
	ch := func(hash, upstream string) Change {
		return Change{Hash: hash, Author: "P", Email: "p@x", Time: at(20, 0).Unix(), Subject: "s " + hash, UpstreamCommit: upstream}
	}
	tests := []struct {
		name    string
		head    string // subject of the checked-out commit
		imp     string // subject of the import commit
		changes func(ids map[string]string) []Change
		want    []string // subjects newest first
		warn    int
		errHas  string
	}{
		{
			name: "import commit is the latest",
			head: "commit A: import", imp: "commit A: import",
			changes: func(ids map[string]string) []Change { return []Change{ch("p1", ids["commit A: import"])} },
			want:    []string{"s p1", "commit A: import"},
		},
		{
			name: "history beyond the locked commit is not replayed; merges linearized",
			head: "commit D", imp: "commit B",
			changes: func(ids map[string]string) []Change {
				return []Change{ch("p1", ids["commit B"]), ch("p2", ids["side"]), ch("p3", ids["merge side"])}
			},
			// The import commit keeps its hash, hence its own ancestry.
			want: []string{"s p3", "merge side", "s p1", "commit B", "commit A: import"},
			warn: 1, // the side commit is not on the first-parent chain
		},
		{
			name: "dirty change on top",
			head: "commit D", imp: "commit A: import",
			changes: func(ids map[string]string) []Change {
				return []Change{ch("p1", ids["commit A: import"]), ch("dirty", ids["commit D"])}
			},
			want: []string{"s dirty", "commit D", "merge side", "commit B", "s p1", "commit A: import"},
		},
		{
			name: "short pin in the lock (reference quirk 11)",
			head: "commit D", imp: "commit A: import",
			changes: func(ids map[string]string) []Change { return []Change{ch("p1", ids["commit D"][:7])} },
			errHas:  "upstream-commit `" + "%D7" + "` not found in dist-git history",
		},
		{
			name: "latest upstream commit not checked out",
			head: "merge side", imp: "commit A: import",
			changes: func(ids map[string]string) []Change { return []Change{ch("p1", ids["commit D"])} },
			errHas:  "not found in dist-git history",
		},
		{
			name: "import commit off the first-parent chain",
			head: "commit D", imp: "side",
			changes: func(ids map[string]string) []Change { return []Change{ch("p1", ids["commit D"])} },
			errHas:  "import-commit `%side` not found in the first-parent history",
		},
		{
			name: "import commit newer than the latest",
			head: "commit D", imp: "commit D",
			changes: func(ids map[string]string) []Change { return []Change{ch("p1", ids["commit B"])} },
			errHas:  "import-commit",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, ids := distGit(t)
			runGit(t, dir, "checkout", "-q", "--detach", ids[tt.head])
			before := runGit(t, dir, "rev-parse", "HEAD")
			warned := 0
			err := Replay(context.Background(), dir, ids[tt.imp], tt.changes(ids), func(string, ...any) { warned++ })
			if tt.errHas != "" {
				want := strings.ReplaceAll(strings.ReplaceAll(tt.errHas, "%D7", ids["commit D"][:7]), "%side", ids["side"])
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v, want %q", err, want)
				}
				if runGit(t, dir, "rev-parse", "HEAD") != before {
					t.Error("HEAD moved on error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Split(runGit(t, dir, "log", "--format=%s"), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("history %q, want %q", got, tt.want)
			}
			if merges := runGit(t, dir, "rev-list", "--merges", "HEAD"); merges != "" {
				t.Errorf("merges left: %s", merges)
			}
			if warned != tt.warn {
				t.Errorf("%d warnings, want %d", warned, tt.warn)
			}
		})
	}
}

// Signatures of replayed commits are dropped (they would no longer verify).
func TestReplayDropsSignatures(t *testing.T) {
	dir, ids := distGit(t)
	A, B := ids["commit A: import"], ids["commit B"]
	h, m := rawCommit(t, dir, B)
	var signed []string
	for _, l := range h {
		signed = append(signed, l)
		if strings.HasPrefix(l, "committer ") {
			signed = append(signed, "gpgsig -----BEGIN PGP SIGNATURE-----", " ", " iQEzBAABCAAdFiEE", " -----END PGP SIGNATURE-----")
		}
	}
	raw := strings.Join(signed, "\n") + "\n\n" + m
	sig, err := git.Repo{Dir: dir}.RunInput(context.Background(), []byte(raw), "hash-object", "-t", "commit", "-w", "--stdin")
	if err != nil {
		t.Fatal(err)
	}
	signedB := strings.TrimSpace(string(sig))
	runGit(t, dir, "checkout", "-q", "--detach", signedB)
	if err := Replay(context.Background(), dir, A, []Change{{Hash: "p", Author: "P", Email: "p@x", Subject: "s", UpstreamCommit: signedB}}, func(string, ...any) {}); err != nil {
		t.Fatal(err)
	}
	nh, nm := rawCommit(t, dir, "HEAD^")
	if nm != m {
		t.Errorf("message %q, want %q", nm, m)
	}
	for _, l := range nh {
		if strings.HasPrefix(l, "gpgsig") || strings.HasPrefix(l, " ") {
			t.Errorf("signature kept: %q", l)
		}
	}
	if headerValue(nh, "parent") != A || headerValue(nh, "committer") != headerValue(h, "committer") {
		t.Errorf("replayed header:\n%s", strings.Join(nh, "\n"))
	}
	if out, err := (git.Repo{Dir: dir}).Output(context.Background(), "fsck", "--no-progress", "--no-dangling"); err != nil {
		t.Errorf("fsck: %v\n%s", err, out)
	}
}

func TestSynthesize(t *testing.T) {
	tests := []struct {
		name    string
		changes []Change
	}{
		{"no changes", nil},
		{"one change", []Change{{Hash: "h1", Author: "Dev", Email: "dev@x", Time: at(10, 0).Unix(), Subject: "add locks"}}},
		{"three changes", []Change{
			{Hash: "h1", Author: "Dev", Email: "dev@x", Time: at(10, 0).Unix(), Subject: "add locks"},
			{Hash: "h2", Author: "Dev 2", Email: "", Time: at(11, 0).Unix(), Subject: "bump"},
			{Hash: "dirty", Author: "azldev", Email: "azldev@local", Time: at(12, 0).Unix(), Subject: "Local changes (uncommitted)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.WriteTree(t, map[string]string{
				"hello.spec": "Name: hello\nRelease: 2%{?dist}\n", "sub/file.txt": "x\n", "empty": "",
			})
			want := expectedTreeNoRepo(t, dir)
			if err := Synthesize(context.Background(), dir, tt.changes); err != nil {
				t.Fatal(err)
			}
			log := strings.Split(runGit(t, dir, "log", "--format=%H %P"), "\n")
			if len(log) != len(tt.changes)+1 {
				t.Fatalf("%d commits, want %d", len(log), len(tt.changes)+1)
			}
			root := strings.Fields(log[len(log)-1])
			if len(root) != 1 {
				t.Errorf("root commit has parents %v", root[1:])
			}
			h, m := rawCommit(t, dir, root[0])
			if headerValue(h, "author") != "azldev <> 0 +0000" || headerValue(h, "committer") != "azldev <> 0 +0000" {
				t.Errorf("root identity %q / %q", headerValue(h, "author"), headerValue(h, "committer"))
			}
			if strings.TrimSpace(m) != "Initial sources" {
				t.Errorf("root message %q", m)
			}
			for i, c := range tt.changes {
				hash := strings.Fields(log[len(tt.changes)-1-i])[0]
				h, m := rawCommit(t, dir, hash)
				who := fmt.Sprintf("%s <%s> %d +0000", c.Author, c.Email, c.Time)
				if headerValue(h, "author") != who || headerValue(h, "committer") != who {
					t.Errorf("%s: identity %q", c.Subject, headerValue(h, "author"))
				}
				if m != c.Subject+"\n\nProject commit: "+c.Hash {
					t.Errorf("%s: message %q", c.Subject, m)
				}
			}
			for _, l := range log {
				if tree := runGit(t, dir, "rev-parse", strings.Fields(l)[0]+"^{tree}"); tree != want {
					t.Errorf("commit %s has tree %s, want %s", l, tree, want)
				}
			}
			if out := runGit(t, dir, "status", "--porcelain"); out != "" {
				t.Errorf("work tree differs from HEAD:\n%s", out)
			}
			if got := runGit(t, dir, "show", "HEAD:sub/file.txt"); got != "x" {
				t.Errorf("sub/file.txt = %q", got)
			}
		})
	}
}

// expectedTreeNoRepo computes the tree object id of a plain directory.
func expectedTreeNoRepo(t *testing.T, dir string) string {
	t.Helper()
	scratch := t.TempDir()
	if _, err := (git.Repo{}).Run(context.Background(), "init", "-q", "--bare", scratch); err != nil {
		t.Fatal(err)
	}
	g := git.Repo{Dir: dir, Env: []string{"GIT_DIR=" + scratch, "GIT_WORK_TREE=" + dir}}
	if _, err := g.Run(context.Background(), "add", "-A", "."); err != nil {
		t.Fatal(err)
	}
	tree, err := g.Output(context.Background(), "write-tree")
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
