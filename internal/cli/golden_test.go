package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// run executes the CLI in-process and returns stdout, stderr and the exit code.
func run(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Execute(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestGoldenListings compares the list commands on the real Azure Linux 4
// tree with what the reference implementation printed.
func TestGoldenListings(t *testing.T) {
	root, err := filepath.Abs(corpusOrSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		golden string
		key    string
		args   []string
		count  int
	}{
		{"component-list.json", "name", []string{"component", "list", "-a"}, 7583},
		{"package-list.json", "packageName", []string{"package", "list", "-a"}, 33060},
		{"image-list.json", "name", []string{"image", "list"}, 5},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			stdout, stderr, code := run(t, append([]string{"-C", root, "-q", "-O", "json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := decodeSorted(t, strings.ReplaceAll(stdout, root, "{{ROOT}}"), tc.key)
			want := decodeSorted(t, readFile(t, filepath.Join(testutil.SharedDir(t, "corpus/azl4-golden"), tc.golden)), tc.key)
			if len(got) != tc.count || len(want) != tc.count {
				t.Fatalf("got %d entries, golden has %d, want %d", len(got), len(want), tc.count)
			}
			diffs := 0
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					if diffs++; diffs <= 3 {
						g, _ := json.Marshal(got[i])
						w, _ := json.Marshal(want[i])
						t.Errorf("entry %d differs:\n got: %s\nwant: %s", i, g, w)
					}
				}
			}
			if diffs > 0 {
				t.Errorf("%d of %d entries differ", diffs, len(want))
			}
		})
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("golden file not available: %v", err)
	}
	return string(b)
}

func decodeSorted(t *testing.T, text, key string) []map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal([]byte(text), &list); err != nil {
		t.Fatalf("decoding JSON: %v", err)
	}
	sort.Slice(list, func(i, j int) bool { return list[i][key].(string) < list[j][key].(string) })
	return list
}
