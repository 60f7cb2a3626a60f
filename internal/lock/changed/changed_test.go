package changed

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/testutil"
)

func TestClassify(t *testing.T) {
	lockA := side{lock: "1111", fingerprint: "sha256:a"}
	lockB := side{lock: "2222", fingerprint: "sha256:b"}
	sameFP := side{lock: "3333", fingerprint: "sha256:a"} // e.g. only the resolution hash differs
	for _, tc := range []struct {
		name       string
		a, b       side
		configured bool
		want       Type
	}{
		{"no lock anywhere", side{}, side{}, true, Unchanged},
		{"lock appeared", side{}, lockB, true, Added},
		{"lock appeared, not configured", side{}, lockB, false, Added},
		{"lock vanished, component gone", lockA, side{}, false, Deleted},
		{"lock vanished, component still configured", lockA, side{}, true, Changed},
		{"fingerprint differs", lockA, lockB, true, Changed},
		{"same blob", lockA, lockA, true, Unchanged},
		{"different blob, same fingerprint", lockA, sameFP, true, Unchanged},
	} {
		if got := classify(tc.a, tc.b, tc.configured); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestClassifyAllSortsAndComparesSources(t *testing.T) {
	from := map[string]side{
		"b": {lock: "1", fingerprint: "x", sources: "s1"},
		"c": {lock: "1", fingerprint: "x"},
		"d": {lock: "1", fingerprint: "x", sources: "s1"},
	}
	to := map[string]side{
		"a": {lock: "2", sources: "s2"},
		"b": {lock: "2", fingerprint: "y", sources: "s2"},
		"c": {lock: "1", fingerprint: "x", sources: "s3"},
		"d": {lock: "1", fingerprint: "x", sources: "s1"},
	}
	req := Request{Components: []string{"d", "c", "b", "a"}}
	got := classifyAll(req, req.Components, lookup(from), lookup(to))
	want := []Row{
		{"a", Added, true},
		{"b", Changed, true},
		{"c", Unchanged, true},
		{"d", Unchanged, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if d := drifted(got); !slices.Equal(d, []string{"c"}) {
		t.Errorf("drifted = %v, want [c]", d)
	}
}

func lookup(m map[string]side) func(string) side { return func(n string) side { return m[n] } }

func TestVisible(t *testing.T) {
	rows := func() []Row {
		return []Row{{"a", Added, false}, {"b", Unchanged, false}, {"c", Unchanged, true}, {"d", Deleted, false}}
	}
	names := func(rs []Row) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Component)
		}
		return out
	}
	for _, tc := range []struct {
		req  Request
		want []string
	}{
		{Request{}, []string{"a", "b", "c", "d"}},
		{Request{All: true}, []string{"a", "c", "d"}},
		{Request{All: true, IncludeUnchanged: true}, []string{"a", "b", "c", "d"}},
	} {
		if got := names(visible(tc.req, rows())); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.req, got, tc.want)
		}
	}
}

func TestComponentNames(t *testing.T) {
	a := &snapshot{locks: map[string]string{"old": "1", "kept": "1"}}
	b := &snapshot{locks: map[string]string{"new": "2", "kept": "1"}}
	configured := func(n string) bool { return n == "kept" || n == "cfg" }
	got := componentNames(Request{Components: []string{"cfg", "kept", "cfg"}, Configured: configured}, a, b)
	if !slices.Equal(got, []string{"cfg", "kept"}) {
		t.Errorf("explicit selection: got %v", got)
	}
	got = componentNames(Request{Components: []string{"cfg", "kept"}, Configured: configured, All: true}, a, b)
	slices.Sort(got)
	if !slices.Equal(got, []string{"cfg", "kept", "new", "old"}) {
		t.Errorf("-a: got %v", got)
	}
}

func TestParseTree(t *testing.T) {
	entries := []string{
		"100644 blob aaa\tlocks/alpha.lock",
		"100644 blob bbb\tlocks/.hidden.lock",
		"100644 blob ccc\tlocks/sub/nested.lock",
		"100644 blob ddd\tlocks/README.md",
		"100644 blob eee\tlocks/.lock",
		"160000 commit fff\tlocks/module.lock",
		"100644 blob ggg\tspecs/a/alpha/sources",
		"100644 blob hhh\tspecs/a/alpha/alpha.spec",
		"100644 blob iii\tspecs/c/CGAL/sources",
		"100644 blob jjj\tspecs/a/alpha/sub/sources",
		"100644 blob kkk\tspecs-old/a/alpha/sources",
		"100644 blob lll\tlocks-old/beta.lock",
		"100644 blob mmm\tlocks/with space.lock",
	}
	s := &snapshot{locks: map[string]string{}, sources: map[string]string{}}
	if err := s.parseTree([]byte(strings.Join(entries, "\x00")+"\x00"), "locks", "specs"); err != nil {
		t.Fatal(err)
	}
	wantLocks := map[string]string{"alpha": "aaa", "with space": "mmm"}
	if !reflect.DeepEqual(s.locks, wantLocks) {
		t.Errorf("locks = %v, want %v", s.locks, wantLocks)
	}
	side := s.sides(nil)
	if got := side("alpha").sources; got != "ggg" {
		t.Errorf("alpha sources = %q", got)
	}
	if got := side("CGAL").sources; got != "iii" {
		t.Errorf("CGAL sources = %q (rendered dirs use the lowercased first letter)", got)
	}
	if err := s.parseTree([]byte("garbage\x00"), "locks", "specs"); err == nil {
		t.Error("malformed ls-tree output was accepted")
	}
}

func TestParseTreeRootDirs(t *testing.T) {
	s := &snapshot{locks: map[string]string{}, sources: map[string]string{}}
	out := "100644 blob aaa\talpha.lock\x00100644 blob bbb\ta/alpha/sources\x00"
	if err := s.parseTree([]byte(out), ".", "."); err != nil {
		t.Fatal(err)
	}
	if s.locks["alpha"] != "aaa" || s.sides(nil)("alpha").sources != "bbb" {
		t.Errorf("repository-root dirs: locks %v, sources %v", s.locks, s.sources)
	}
}

func TestDriftErrorMessage(t *testing.T) {
	err := &DriftError{Components: []string{"x", "y"}}
	want := "found 2 component(s) with unchanged fingerprint but drifted rendered sources (run 'azldev component render' and commit the result): `x`, `y`"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

// lockText is a lock file with the given fingerprint and resolution hash.
func lockText(fp, resolution string) string {
	l := lockfile.New()
	l.InputFingerprint, l.ResolutionInputHash = fp, resolution
	return string(l.Marshal())
}

// TestCompareRepository runs Compare against a real repository with
// hand-written lock files and rendered sources.
func TestCompareRepository(t *testing.T) {
	r := testutil.NewRepo(t)
	r.Write("locks/same.lock", lockText("sha256:1", ""))
	r.Write("locks/fp.lock", lockText("sha256:1", ""))
	r.Write("locks/resolution.lock", lockText("sha256:1", "sha256:r1"))
	r.Write("locks/gone.lock", lockText("sha256:1", ""))
	r.Write("locks/dropped.lock", lockText("sha256:1", ""))
	r.Write("specs/f/fp/sources", "SHA512 (a.tar.gz) = 00\n")
	r.Write("specs/s/same/sources", "SHA512 (b.tar.gz) = 00\n")
	from := r.Commit("first")
	r.Write("locks/fp.lock", lockText("sha256:2", ""))
	r.Write("locks/resolution.lock", lockText("sha256:1", "sha256:r2"))
	r.Write("locks/new.lock", lockText("sha256:1", ""))
	r.Remove("locks/gone.lock")
	r.Remove("locks/dropped.lock")
	r.Remove("specs/f/fp/sources")
	r.Write("specs/n/new/sources", "SHA512 (c.tar.gz) = 00\n")
	to := r.Commit("second")

	configured := func(n string) bool { return n != "gone" }
	req := Request{Repo: r.Dir, From: from, To: to, LockDir: "locks", RenderedDir: "specs",
		Components: []string{"same", "fp", "resolution", "dropped", "new", "unlocked"}, Configured: configured}
	want := []Row{
		{"dropped", Changed, false},
		{"fp", Changed, true},
		{"new", Added, true},
		{"resolution", Unchanged, false},
		{"same", Unchanged, false},
		{"unlocked", Unchanged, false},
	}
	got, err := Compare(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("explicit selection:\n got %+v\nwant %+v", got, want)
	}

	req.All = true
	want = []Row{{"dropped", Changed, false}, {"fp", Changed, true}, {"gone", Deleted, false}, {"new", Added, true}}
	if got, err = Compare(context.Background(), req); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("-a:\n got %+v, %v\nwant %+v", got, err, want)
	}

	r.Write("specs/s/same/sources", "SHA512 (b.tar.gz) = 11\n")
	req.From, req.To = to, r.Commit("drift")
	_, err = Compare(context.Background(), req)
	var drift *DriftError
	if !errors.As(err, &drift) || !slices.Equal(drift.Components, []string{"same"}) {
		t.Errorf("drift: got %v", err)
	}
}

func TestCompareUnknownRevision(t *testing.T) {
	r := testutil.NewRepo(t)
	r.Write("locks/a.lock", lockText("sha256:1", ""))
	head := r.Commit("one")
	for _, rev := range []string{"no-such-branch", "--output=x", "", head + "^"} {
		_, err := Compare(context.Background(), Request{Repo: r.Dir, From: rev, To: "HEAD", LockDir: "locks"})
		if !errors.Is(err, ErrUnknownRevision) || !strings.Contains(err.Error(), "`"+rev+"`") {
			t.Errorf("from %q: got %v", rev, err)
		}
	}
}

func TestCompareBadLock(t *testing.T) {
	r := testutil.NewRepo(t)
	r.Write("locks/a.lock", lockText("sha256:1", ""))
	from := r.Commit("one")
	r.Write("locks/a.lock", "version = 7\n")
	to := r.Commit("two")
	_, err := Compare(context.Background(), Request{Repo: r.Dir, From: from, To: to, LockDir: "locks", Components: []string{"a"}})
	if err == nil || !strings.Contains(err.Error(), "locks/a.lock") {
		t.Errorf("got %v, want a parse error naming the lock", err)
	}
}
