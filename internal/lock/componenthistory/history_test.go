package componenthistory

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

const root = `includes = ["comps/*.comp.toml"]
[project]
description = "t"
`

// collect loads the project in repo and collects the history of names.
func collect(t *testing.T, repo *testutil.Repo, req Request, names ...string) map[string]Entry {
	t.Helper()
	cfg, err := config.Load(config.Options{StartDir: repo.Dir, NoDefaults: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := resolve.New(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	req.Resolver, req.Components = r, names
	res, err := Collect(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Entry{}
	for _, e := range res.Entries {
		out[e.Component] = e
	}
	return out
}

func lock(fp string) string {
	return "version = 1\ninput-fingerprint = '" + fp + "'\n"
}

func subjects(commits []*Commit) string {
	var s []string
	for _, c := range commits {
		s = append(s, c.Subject)
	}
	return strings.Join(s, "|")
}

func fpSubjects(commits []Commit) string {
	var s []string
	for _, c := range commits {
		s = append(s, c.Subject)
	}
	return strings.Join(s, "|")
}

func TestCollect(t *testing.T) {
	repo := testutil.NewRepo(t)
	repo.Write("azldev.toml", root)
	repo.Write("comps/a.comp.toml", "[components.a]\noverlay-files = [\"a-overlays.toml\"]\n[components.a.build]\nwith = [\"x\"]\n")
	repo.Write("comps/a-overlays.toml", "[metadata]\ncategory = \"azl-pruning\"\nupstream-status = \"unknown\"\n[[overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n")
	repo.Write("comps/many.comp.toml", "[components.b]\n[components.c]\n[component-groups.g]\ncomponents = [\"a\", \"b\"]\n[component-groups.g.default-component-config.build.check]\nskip = true\nskip_reason = \"flaky\"\n")
	repo.Commit("import")
	repo.Write("locks/a.lock", lock("sha256:1"))
	repo.Write("locks/b.lock", lock("sha256:1"))
	repo.Commit("lock")
	repo.Append("comps/a-overlays.toml", "# why\n")
	repo.Write("locks/a.lock", lock("sha256:2"))
	repo.Commit("a: overlay comment")
	repo.Append("comps/many.comp.toml", "# shared\n")
	repo.Write("locks/b.lock", "# same fingerprint, reformatted\n"+lock("sha256:1"))
	repo.Commit("many: comment")
	repo.Remove("locks/b.lock")
	repo.Commit("drop b's lock")
	repo.Write("locks/b.lock", lock("sha256:1"))
	repo.Commit("relock b")

	got := collect(t, repo, Request{Shared: SharedShow}, "a", "b", "c")
	if len(got) != 2 {
		t.Fatalf("entries %v (c is bare)", got)
	}
	a := got["a"]
	if subjects(a.ConfigCommits) != "many: comment|a: overlay comment|import" || fpSubjects(a.FingerprintChanges) != "a: overlay comment|lock" {
		t.Errorf("a: config %q, fingerprint %q", subjects(a.ConfigCommits), fpSubjects(a.FingerprintChanges))
	}
	if !a.ConfigCommits[0].Shared || a.ConfigCommits[1].Shared || !slices.Equal(a.ConfigCommits[2].Files, []string{"comps/a.comp.toml", "comps/a-overlays.toml", "comps/many.comp.toml"}) {
		t.Errorf("a's commits %+v %+v %+v", a.ConfigCommits[0], a.ConfigCommits[1], a.ConfigCommits[2])
	}
	var items []string
	for _, it := range a.Customizations {
		items = append(items, it.Kind+"/"+it.Type+"/"+it.Value+"/"+it.Category+"/"+it.File+"/"+it.Group)
	}
	if strings.Join(items, " ") != "build/with/x//comps/a.comp.toml/ overlay/spec-add-tag//azl-pruning/comps/a-overlays.toml/ build/check-skip/flaky//comps/many.comp.toml/g" {
		t.Errorf("a's items %v", items)
	}
	b := got["b"]
	if fpSubjects(b.FingerprintChanges) != "relock b|lock" || len(b.ConfigFiles) != 1 || !b.ConfigFiles[0].Shared {
		t.Errorf("b: %+v", b)
	}
	if a.ConfigCommits[0] != b.ConfigCommits[0] {
		t.Error("a and b touched alike by one commit do not share its value")
	}

	omit := collect(t, repo, Request{Shared: SharedOmit, IncludeBare: true}, "a", "b", "c")
	if subjects(omit["a"].ConfigCommits) != "a: overlay comment|import" || len(omit["a"].Customizations) != 2 {
		t.Errorf("a with omit: %+v", omit["a"])
	}
	if c, ok := omit["c"]; !ok || len(c.ConfigFiles) != 0 || len(c.ConfigCommits) != 0 {
		t.Errorf("c with omit and bare: %+v", c)
	}
}

func TestNotARepository(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"azldev.toml": root, "comps/a.comp.toml": "[components.a]\n"})
	cfg, err := config.Load(config.Options{StartDir: dir, NoDefaults: true})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := resolve.New(cfg, false)
	_, err = Collect(context.Background(), Request{Resolver: r, Components: []string{"a"}, Shared: SharedShow})
	if err == nil || !strings.Contains(err.Error(), "needs the project in a git repository") {
		t.Errorf("got %v", err)
	}
}

func TestParseLog(t *testing.T) {
	out := "\x1eaaa\x00Ann\x00a@x\x001700000000\x00two files\x00\n" +
		":100644 100644 1111111111111111111111111111111111111111 2222222222222222222222222222222222222222 M\x00locks/a.lock\x00" +
		":100644 000000 3333333333333333333333333333333333333333 0000000000000000000000000000000000000000 D\x00comps/x y.toml\x00" +
		"\x1ebbb\x00Bob\x00b@x\x001600000000\x00merge\x00"
	commits, err := parseLog([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != 2 || commits[0].Date != "2023-11-14T22:13:20Z" || commits[1].Subject != "merge" || len(commits[1].changes) != 0 {
		t.Fatalf("got %+v", commits)
	}
	want := []change{{"locks/a.lock", "2222222222222222222222222222222222222222"}, {"comps/x y.toml", ""}}
	if !slices.Equal(commits[0].changes, want) {
		t.Errorf("changes %+v", commits[0].changes)
	}
	if _, err := parseLog([]byte("\x1eaaa\x00x")); err == nil {
		t.Error("no error for a short record")
	}
}

func TestParseShared(t *testing.T) {
	if m, err := ParseShared("omit"); err != nil || m != SharedOmit {
		t.Errorf("got %q, %v", m, err)
	}
	if _, err := ParseShared("all"); err == nil {
		t.Error("no error")
	}
}
