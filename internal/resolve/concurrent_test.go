package resolve

import (
	"context"
	"reflect"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/config/cache"
	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestConcurrentResolveCorpus resolves every component of the Azure Linux 4
// corpus from many goroutines, through the lazily decoded configuration
// cache, and compares with a sequential resolution (run with -race).
func TestConcurrentResolveCorpus(t *testing.T) {
	root := testutil.CorpusDir(t)
	t.Setenv("AZLDEV_CACHE_DIR", t.TempDir())
	opts := config.Options{StartDir: root, HostArch: "x86_64"}
	if _, err := cache.Load(opts); err != nil { // writes the cache
		t.Fatal(err)
	}
	resolveAll := func(limit int) ([]*Component, []string) {
		cfg, err := cache.Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if !cfg.FromCache() {
			t.Fatal("configuration not served from the cache")
		}
		r, err := New(cfg, true)
		if err != nil {
			t.Fatal(err)
		}
		names := r.Names()
		comps, err := parallel.Map(context.Background(), names, parallel.Options{Limit: limit},
			func(_ context.Context, i int, n string) (*Component, error) {
				if !r.Exists(n) || (i%1000 == 0 && len(r.Names()) != len(names)) {
					t.Errorf("%s: inconsistent component list", n)
				}
				return r.Resolve(n)
			})
		if err != nil {
			t.Fatal(err)
		}
		return comps, r.Warnings()
	}
	want, wantWarnings := resolveAll(1)
	got, gotWarnings := resolveAll(16)
	if len(got) < 1000 {
		t.Fatalf("only %d components", len(got))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s resolved differently when concurrent", want[i].Name)
		}
	}
	if len(gotWarnings) != len(wantWarnings) {
		t.Errorf("%d warnings, want %d", len(gotWarnings), len(wantWarnings))
	}
}

// TestConcurrentWarningsAndSpecPaths resolves, under --permissive-config,
// components whose overlay file has invalid metadata while spec paths are
// being selected (run with -race).
func TestConcurrentWarningsAndSpecPaths(t *testing.T) {
	cfg, err := config.Load(config.Options{StartDir: testutil.WriteTree(t, map[string]string{
		"azldev.toml":       "includes = [\"comps/c.comp.toml\"]\n",
		"comps/c.comp.toml": "[components.c]\noverlay-files = [\"bad.toml\"]\n",
		"comps/bad.toml":    "[[overlays]]\ntype = \"spec-add-tag\"\ntag = \"T\"\nvalue = \"v\"\n",
	}), HostArch: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = parallel.Map(context.Background(), make([]int, 64), parallel.Options{Limit: 8},
		func(_ context.Context, i int, _ int) (any, error) {
			if i%2 == 1 {
				return r.Select(Selection{SpecPaths: []string{"/specs/s" + string(rune('a'+i%26)) + ".spec"}})
			}
			_ = r.Warnings()
			return r.Resolve("c")
		})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Warnings()); n != 32 {
		t.Errorf("%d warnings, want one per resolution (32)", n)
	}
}
