package autospec

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// graph builds an in-memory history; add links parents given by name.
type graph struct {
	h      history
	byName map[string]*commit
}

// add puts a commit on top (the last one added is HEAD): ev "" means an
// unparseable spec, tree names the content, cl the changelog blob.
func (g *graph) add(name, ev, tree, cl string, parents ...string) {
	if g.byName == nil {
		g.byName = map[string]*commit{}
	}
	c := &commit{id: name, tree: tree, author: "A <a@example.org>", message: name,
		time: time.Date(2026, 1, len(g.h)+1, 0, 0, 0, 0, time.UTC), hasSpec: true, flags: unknownFlags}
	if ev != "" {
		c.flags = verflags{known: true, epochVersion: ev, base: 1}
	}
	if cl != "" {
		c.changelog = object{id: cl, typ: "blob"}
	}
	for _, p := range parents {
		c.parents = append(c.parents, g.byName[p])
		g.byName[p].children = append(g.byName[p].children, c)
	}
	g.byName[name] = c
	g.h = append(history{c}, g.h...)
}

// subjects runs the changelog walk and returns the first line of each entry.
func (g *graph) subjects(t *testing.T, seed bool) []string {
	t.Helper()
	g.h.number()
	g.h.markRemoved(seed)
	entries, err := changelogFrom(g.h[0], func(o object) ([]byte, error) { return []byte("file " + o.id), nil })
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestNumberOverAllParents(t *testing.T) {
	var g graph
	g.add("A", "1.0", "a", "")
	g.add("B", "1.0", "b", "", "A")
	g.add("S", "2.0", "s", "", "A")
	g.add("T", "2.0", "t", "", "S")
	g.add("M", "2.0", "m", "", "B", "T") // B's number does not count: other version
	g.add("U", "", "u", "", "M")         // unparseable: keeps counting
	g.add("V", "2.0", "v", "", "U")
	g.h.number()
	want := map[string]int{"A": 1, "B": 2, "S": 1, "T": 2, "M": 3, "U": 4, "V": 5}
	for name, n := range want {
		if got := g.byName[name].number; got != n {
			t.Errorf("%s: %d, want %d", name, got, n)
		}
	}
}

func TestChangelogRemovalNeedsAllChildren(t *testing.T) {
	// A adds the changelog file; B keeps it, C deletes it; the merge D
	// keeps B's tree. Only one child passes the removal on, so A's file
	// stays in the changelog.
	var g graph
	g.add("A", "1.0", "a", "cl")
	g.add("B", "1.0", "b", "cl", "A")
	g.add("C", "1.0", "c", "", "A")
	g.add("D", "1.0", "b", "cl", "B", "C")
	got := g.subjects(t, false)
	want := []string{"* Fri Jan 02 2026 A <a@example.org> - 1.0-2\n- B", "file cl"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Seeded from a dirty work tree without the file: nothing from A.
	if got := g.subjects(t, true); !slices.Equal(got, want[:1]) {
		t.Errorf("seeded: got %q", got)
	}
}

func TestMergeRemovingChangelog(t *testing.T) {
	var g graph
	g.add("A", "1.0", "a", "cl")
	g.add("B", "1.0", "b", "cl2", "A")
	g.add("M", "1.0", "m", "", "A", "B")
	g.h.number()
	g.h.markRemoved(false)
	if _, err := changelogFrom(g.h[0], nil); !errors.Is(err, errMergeWithoutChangelog) {
		t.Errorf("got %v", err)
	}
}

func TestParseFacts(t *testing.T) {
	for _, tc := range []struct {
		f    Facts
		n    int
		want string
	}{
		{Facts{"1.0", "E_S_P0_B"}, 3, "3"},
		{Facts{"1.0", "Erc2_S_P1_B3"}, 2, "0.4.rc2"},
		{Facts{"1.0", "E_S20260101git1234_P0_B"}, 1, "1.20260101git1234"},
		{Facts{"1.0", "Ebeta1_Ssnap_P0_B10"}, 1, "10.beta1.snap"},
		{Facts{"1.0", "E_S_P0_B0"}, 1, "0"},
		{Facts{"1.0", "E_S_P0_B.azl4"}, 5, "5"},
		{Facts{"1.0", "E_S_P2_B"}, 5, "5"},
		{Facts{"1.0", "E_x_S_P0_B"}, 5, "5"},
		{Facts{"1.0", "4.azl4"}, 5, "5"},
	} {
		if got := parseFacts(tc.f).complete(tc.n); got != tc.want {
			t.Errorf("%+v at %d: %q, want %q", tc.f, tc.n, got, tc.want)
		}
	}
}

func TestParseLog(t *testing.T) {
	out := "m\x00tm\x00a b\x00Ann\x00ann@example.org\x00100\x00Merge\n\x00" +
		"a\x00ta\x00\x00Bob\x00\x000\x00First\n\x00"
	h, err := parseLog([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	m, a := h[0], h[1]
	if len(m.parents) != 1 || m.parents[0] != a || !slices.Equal(a.children, []*commit{m}) {
		t.Errorf("links: %v %v", m.parents, a.children)
	}
	if a.author != "Bob <>" || m.time.Unix() != 100 || m.message != "Merge\n" {
		t.Errorf("fields: %q %v %q", a.author, m.time, m.message)
	}
	for _, bad := range []string{"", "a\x00b\x00", "a\x00t\x00\x00n\x00e\x00x\x00msg\x00"} {
		if _, err := parseLog([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
