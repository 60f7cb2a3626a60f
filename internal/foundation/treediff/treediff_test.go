package treediff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// summary is the comparable part of a FileDiff (without the hunks).
type summary struct {
	Path, Status, Message string
	IsBinary              bool
}

func summarize(r Result) []summary {
	out := []summary{}
	for _, f := range r.Files {
		out = append(out, summary{Path: f.Path, Status: f.Status, Message: f.Message, IsBinary: f.IsBinary})
	}
	return out
}

func TestCompareStatuses(t *testing.T) {
	tests := []struct {
		name     string
		old, new map[string]string
		want     []summary
		noHunks  bool // an empty file added or removed has no diff lines
	}{
		{
			name: "identical trees",
			old:  map[string]string{"a.spec": "x\n", "sub/b": "y"},
			new:  map[string]string{"a.spec": "x\n", "sub/b": "y"},
			want: []summary{},
		},
		{
			name: "both empty",
			want: []summary{},
		},
		{
			name: "added removed modified sorted by path",
			old:  map[string]string{"b": "same\n", "gone": "bye\n", "mod": "one\n", "z/deep": "1\n"},
			new:  map[string]string{"b": "same\n", "a-new": "hi\n", "mod": "two\n", "z/deep": "2\n"},
			want: []summary{
				{Path: "a-new", Status: Added},
				{Path: "gone", Status: Removed},
				{Path: "mod", Status: Modified},
				{Path: "z/deep", Status: Modified},
			},
		},
		{
			name: "empty files count as present",
			old:  map[string]string{"was-empty": ""},
			new:  map[string]string{"now-empty": ""},
			want: []summary{
				{Path: "now-empty", Status: Added},
				{Path: "was-empty", Status: Removed},
			},
			noHunks: true,
		},
		{
			name: "file emptied",
			old:  map[string]string{"f": "content\n"},
			new:  map[string]string{"f": ""},
			want: []summary{{Path: "f", Status: Modified}},
		},
		{
			name: "file replaced by directory",
			old:  map[string]string{"x": "file\n"},
			new:  map[string]string{"x/inner": "file\n"},
			want: []summary{
				{Path: "x", Status: Removed},
				{Path: "x/inner", Status: Added},
			},
		},
		{
			name: "binary NUL",
			old:  map[string]string{"bin": "a\x00b"},
			new:  map[string]string{"bin": "a\x00c"},
			want: []summary{{Path: "bin", Status: Modified, IsBinary: true, Message: "binary files differ"}},
		},
		{
			name: "binary invalid UTF-8 on one side only",
			old:  map[string]string{"t": "text\n"},
			new:  map[string]string{"t": "text\xff\n"},
			want: []summary{{Path: "t", Status: Modified, IsBinary: true, Message: "binary files differ"}},
		},
		{
			name: "added binary",
			new:  map[string]string{"blob.gz": "\x1f\x8b\x08\x00"},
			want: []summary{{Path: "blob.gz", Status: Added, IsBinary: true, Message: "binary files differ"}},
		},
		{
			name: "unicode text is not binary",
			old:  map[string]string{"u": "héllo\n"},
			new:  map[string]string{"u": "wörld\n"},
			want: []summary{{Path: "u", Status: Modified}},
		},
		{
			name: ".git directories ignored at any depth",
			old:  map[string]string{".git/HEAD": "ref: a\n", "sub/.git/config": "x", "k": "1\n"},
			new:  map[string]string{".git/HEAD": "ref: b\n", ".git/new": "y", "sub/.git/other": "z", "k": "1\n"},
			want: []summary{},
		},
		{
			name: "only directories named .git are ignored",
			old:  map[string]string{".gitignore": "a\n", "x.git/f": "1\n"},
			new:  map[string]string{".gitignore": "b\n", "x.git/f": "2\n"},
			want: []summary{
				{Path: ".gitignore", Status: Modified},
				{Path: "x.git/f", Status: Modified},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oldDir, newDir := testutil.WriteTree(t, tt.old), testutil.WriteTree(t, tt.new)
			res, err := Compare(oldDir, newDir)
			if err != nil {
				t.Fatal(err)
			}
			if got := summarize(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Compare =\n%+v\nwant\n%+v", got, tt.want)
			}
			for _, f := range res.Files {
				if f.IsBinary && (f.Unified != "" || f.Changes != nil) {
					t.Errorf("%s: binary diff has hunks: %q %v", f.Path, f.Unified, f.Changes)
				}
				if hunks := f.Unified != ""; !f.IsBinary && f.Status != TypeChanged && hunks == tt.noHunks {
					t.Errorf("%s: unified text %q, want hunks: %v", f.Path, f.Unified, !tt.noHunks)
				}
			}
		})
	}
}

func TestCompareSymlinks(t *testing.T) {
	oldDir := testutil.WriteTree(t, map[string]string{"file-to-link": "x\n", "link-to-file": "", "target": "t\n"})
	newDir := testutil.WriteTree(t, map[string]string{"file-to-link": "", "link-to-file": "x\n", "target": "t\n"})
	mustRemove := func(p string) {
		t.Helper()
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	mustLink := func(target, p string) {
		t.Helper()
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	// old: link-to-file is a link, file-to-link a file; new: the reverse.
	mustRemove(filepath.Join(oldDir, "link-to-file"))
	mustLink("target", filepath.Join(oldDir, "link-to-file"))
	mustRemove(filepath.Join(newDir, "file-to-link"))
	mustLink("target", filepath.Join(newDir, "file-to-link"))
	// same link both sides; a retargeted link; a link to a directory that is
	// not followed; a dangling link only in new.
	mustLink("target", filepath.Join(oldDir, "same"))
	mustLink("target", filepath.Join(newDir, "same"))
	mustLink("old-target", filepath.Join(oldDir, "retarget"))
	mustLink("new-target", filepath.Join(newDir, "retarget"))
	if err := os.MkdirAll(filepath.Join(oldDir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(oldDir, "d", "inside"), []byte("i\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustLink("d", filepath.Join(oldDir, "dirlink"))
	mustLink("d", filepath.Join(newDir, "dirlink"))
	mustLink("nowhere", filepath.Join(newDir, "dangling"))

	res, err := Compare(oldDir, newDir)
	if err != nil {
		t.Fatal(err)
	}
	want := []summary{
		{Path: "d/inside", Status: Removed},
		{Path: "dangling", Status: Added},
		{Path: "file-to-link", Status: TypeChanged, Message: "changed between a file and a symbolic link"},
		{Path: "link-to-file", Status: TypeChanged, Message: "changed between a file and a symbolic link"},
		{Path: "retarget", Status: Modified},
	}
	if got := summarize(res); !reflect.DeepEqual(got, want) {
		t.Fatalf("Compare =\n%+v\nwant\n%+v", got, want)
	}
	for _, f := range res.Files {
		if f.Status == TypeChanged && (f.Changes != nil || f.Unified != "") {
			t.Errorf("%s: type change carries a diff", f.Path)
		}
	}
	retarget := res.Files[4]
	wantChanges := []Change{
		{Line: 1, Type: "removed", Content: "old-target"},
		{Line: 1, Type: "added", Content: "new-target"},
	}
	if !reflect.DeepEqual(retarget.Changes, wantChanges) {
		t.Errorf("retarget changes = %+v, want %+v", retarget.Changes, wantChanges)
	}
}

func TestCompareChanges(t *testing.T) {
	tests := []struct {
		name        string
		old, new    map[string]string
		wantChanges []Change
		wantUnified string
	}{
		{
			name: "added file",
			new:  map[string]string{"f": "one\ntwo\n"},
			wantChanges: []Change{
				{Line: 1, Type: "added", Content: "one"},
				{Line: 2, Type: "added", Content: "two"},
			},
			wantUnified: "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+one\n+two\n",
		},
		{
			name: "removed file",
			old:  map[string]string{"f": "one\ntwo\n"},
			wantChanges: []Change{
				{Line: 1, Type: "removed", Content: "one"},
				{Line: 2, Type: "removed", Content: "two"},
			},
			wantUnified: "--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n",
		},
		{
			name: "modification with context and shifted line numbers",
			old:  map[string]string{"f": "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"},
			new:  map[string]string{"f": "1\n2\n3\n4\n5\nnew-a\nnew-b\n6\n7\n8\n10\n"},
			wantChanges: []Change{
				{Line: 3, Type: "context", Content: "3"},
				{Line: 4, Type: "context", Content: "4"},
				{Line: 5, Type: "context", Content: "5"},
				{Line: 6, Type: "added", Content: "new-a"},
				{Line: 7, Type: "added", Content: "new-b"},
				{Line: 8, Type: "context", Content: "6"},
				{Line: 9, Type: "context", Content: "7"},
				{Line: 10, Type: "context", Content: "8"},
				{Line: 9, Type: "removed", Content: "9"},
				{Line: 11, Type: "context", Content: "10"},
			},
			wantUnified: "--- a/f\n+++ b/f\n@@ -3,8 +3,9 @@\n 3\n 4\n 5\n+new-a\n+new-b\n 6\n 7\n 8\n-9\n 10\n",
		},
		{
			name: "two hunks",
			old:  map[string]string{"f": "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n"},
			new:  map[string]string{"f": "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n"},
			wantChanges: []Change{
				{Line: 1, Type: "removed", Content: "a"},
				{Line: 1, Type: "added", Content: "A"},
				{Line: 2, Type: "context", Content: "b"},
				{Line: 3, Type: "context", Content: "c"},
				{Line: 4, Type: "context", Content: "d"},
				{Line: 9, Type: "context", Content: "i"},
				{Line: 10, Type: "context", Content: "j"},
				{Line: 11, Type: "context", Content: "k"},
				{Line: 12, Type: "removed", Content: "l"},
				{Line: 12, Type: "added", Content: "L"},
			},
			wantUnified: "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n@@ -9,4 +9,4 @@\n i\n j\n k\n-l\n+L\n",
		},
		{
			name: "missing final newline",
			old:  map[string]string{"f": "x\ny"},
			new:  map[string]string{"f": "x\nz"},
			wantChanges: []Change{
				{Line: 1, Type: "context", Content: "x"},
				{Line: 2, Type: "removed", Content: "y"},
				{Line: 2, Type: "added", Content: "z"},
			},
			wantUnified: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Compare(testutil.WriteTree(t, tt.old), testutil.WriteTree(t, tt.new))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 1 {
				t.Fatalf("got %d files, want 1: %+v", len(res.Files), res.Files)
			}
			f := res.Files[0]
			if !reflect.DeepEqual(f.Changes, tt.wantChanges) {
				t.Errorf("Changes =\n%+v\nwant\n%+v", f.Changes, tt.wantChanges)
			}
			if f.Unified != tt.wantUnified {
				t.Errorf("Unified =\n%q\nwant\n%q", f.Unified, tt.wantUnified)
			}
		})
	}
}

func TestResultJSON(t *testing.T) {
	res, err := Compare(
		testutil.WriteTree(t, map[string]string{"a": "1\n", "bin": "\x00"}),
		testutil.WriteTree(t, map[string]string{"a": "2\n", "bin": "\x01\x00"}),
	)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"files":[` +
		`{"path":"a","status":"modified","changes":[{"line":1,"type":"removed","content":"1"},{"line":1,"type":"added","content":"2"}]},` +
		`{"path":"bin","status":"modified","isBinary":true,"message":"binary files differ"}]}`
	if string(got) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", got, want)
	}

	// No differences still renders an empty array, not null.
	same := testutil.WriteTree(t, map[string]string{"a": "1\n"})
	res, err = Compare(same, same)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(res); string(got) != `{"files":[]}` {
		t.Errorf("JSON of no differences = %s", got)
	}
}

func TestCompareMissingDir(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope")
	if _, err := Compare(missing, dir); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing old dir: err = %v", err)
	}
	if _, err := Compare(dir, missing); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing new dir: err = %v", err)
	}
}
