package render

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

func TestSourceName(t *testing.T) {
	for in, want := range map[string]string{
		"https://files.pythonhosted.org/packages/source/t/testpath/testpath-0.6.0.tar.gz": "testpath-0.6.0.tar.gz",
		"https://example.org/download?id=42#/hello-extra.txt":                             "hello-extra.txt",
		"https://crates.io/api/v1/crates/x/1.0/download#/x-1.0.crate":                     "x-1.0.crate",
		"https://example.org/a/b.tar.gz#frag":                                             "b.tar.gz",
		"./local-2.cfg":                                                                   "local-2.cfg",
		"patches/azl-subdir.patch":                                                        "patches/azl-subdir.patch",
		"/etc/passwd":                                                                     "",
		"../escape.patch":                                                                 "",
		"%{undefined_thing}-2.1.0.txt":                                                    "%{undefined_thing}-2.1.0.txt",
	} {
		if got := SourceName(in); got != want {
			t.Errorf("SourceName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeepSetAndFilter(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"p.spec": "", "sources": "", "a.patch": "", "patches/x.patch": "", "patches/unused": "",
		"gating.yaml": "", "tests/t.sh": "", ".gitignore": "", "p.comp.toml": "",
	})
	keep, ok := KeepSet("p.spec", []string{"https://h/p-1.tar.gz", "a.patch", "patches/x.patch", "/abs"})
	if !ok {
		t.Fatal("filter refused")
	}
	if err := Filter(dir, keep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range testutil.Snapshot(t, dir) {
		got = append(got, k)
	}
	slices.Sort(got)
	if want := []string{".", "a.patch", "p.spec", "patches", "patches/unused", "patches/x.patch", "sources"}; !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
	if _, ok := KeepSet("p.spec", []string{"%{missing}.tar.gz"}); ok {
		t.Error("an unexpanded macro did not stop the filter")
	}
}

func TestAliasAndOrphans(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"l/libxml++", "z/zombie", "c/curl", "tooling/x"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if Alias("curl") != "" || Alias("libxml++") != "libxml%2B%2B" {
		t.Fatal("alias")
	}
	if err := LinkAlias(root, "libxml++"); err != nil {
		t.Fatal(err)
	}
	if err := LinkAlias(root, "libxml++"); err != nil { // idempotent
		t.Fatal(err)
	}
	if target, _ := os.Readlink(filepath.Join(root, "l", "libxml%2B%2B")); target != "libxml++" {
		t.Errorf("alias target %q", target)
	}
	orphans, err := Orphans(root, []string{"curl", "libxml++"})
	if err != nil || !reflect.DeepEqual(orphans, []string{"z/zombie"}) {
		t.Fatalf("orphans %v, %v", orphans, err)
	}
	if err := RemoveOrphans(root, orphans); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "z")); !os.IsNotExist(err) {
		t.Error("empty letter directory kept")
	}
	if _, err := os.Stat(filepath.Join(root, "tooling", "x")); err != nil {
		t.Error("a multi-character top-level directory was touched")
	}
}

func TestIsFailedMarkerOnly(t *testing.T) {
	dir := t.TempDir()
	if IsFailedMarkerOnly(dir) {
		t.Error("empty dir")
	}
	os.WriteFile(filepath.Join(dir, FailedMarker), []byte(FailedText), 0o644)
	if !IsFailedMarkerOnly(dir) {
		t.Error("marker not recognised")
	}
	os.WriteFile(filepath.Join(dir, "x.spec"), nil, 0o644)
	if IsFailedMarkerOnly(dir) {
		t.Error("stale content next to the marker")
	}
}
