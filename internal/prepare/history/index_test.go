package history

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestIndexAgreesWithPerFileReading builds a project history with several
// lock files (changed, unchanged fingerprints, deleted, re-added, never
// committed) and checks that the index answers exactly as per-file reading.
func TestIndexAgreesWithPerFileReading(t *testing.T) {
	r := testutil.NewRepo(t)
	up := func(c byte) string { return strings.Repeat(string(c), 40) }
	r.Write("comps/a.comp.toml", "")
	r.Write("locks/a.lock", string(lockFile(up('1'), "fp1", "r")))
	r.Write("locks/b.lock", string(lockFile(up('1'), "fpb", "r")))
	r.Write("locks/gone.lock", string(lockFile(up('1'), "fpg", "r")))
	r.Commit("add locks")
	r.Write("locks/a.lock", string(lockFile(up('2'), "fp2", "r")))
	r.Write("locks/b.lock", string(lockFile(up('2'), "fpb", "r2"))) // same fingerprint
	r.Remove("locks/gone.lock")
	r.Commit("bump a")
	r.Remove("locks/b.lock")
	r.Commit("drop b")
	r.Write("locks/b.lock", string(lockFile(up('3'), "fpb3", "r")))
	r.Write("other.txt", "x")
	r.Commit("re-add b")
	r.Write("locks/new.lock", string(lockFile(up('4'), "fpn", "r"))) // not committed

	ctx := context.Background()
	ix, err := NewIndex(ctx, r.Dir, filepath.Join(r.Dir, "locks"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(r.Dir, "comps", "a.comp.toml")
	for _, name := range []string{"a", "b", "gone", "new"} {
		lock := filepath.Join(r.Dir, "locks", name+".lock")
		wantC, wantL, wantErr := LockChanges(ctx, cfg, lock)
		gotC, gotL, gotErr := ix.LockChanges(ctx, cfg, lock)
		if !errors.Is(gotErr, wantErr) && (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: error %v, want %v", name, gotErr, wantErr)
		}
		if !reflect.DeepEqual(gotC, wantC) || !reflect.DeepEqual(gotL, wantL) {
			t.Errorf("%s:\n got %+v %+v\nwant %+v %+v", name, gotC, gotL, wantC, wantL)
		}
	}
}
