package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/config"
)

// BenchmarkCachedLoadCorpus loads the Azure Linux 4 configuration from a warm
// cache and looks up one component.
func BenchmarkCachedLoadCorpus(b *testing.B) {
	benchLazy(b, corpusOrSkip(b), "curl", false)
}

// BenchmarkCachedLoadCorpusAll loads the Azure Linux 4 configuration from a
// warm cache and decodes every component.
func BenchmarkCachedLoadCorpusAll(b *testing.B) {
	benchLazy(b, corpusOrSkip(b), "", true)
}

// BenchmarkCachedLoadScale looks up one component of synthetic projects of
// growing size (the shape of scripts/bench-cli's scaling table): the time
// should not grow with the number of components.
func BenchmarkCachedLoadScale(b *testing.B) {
	for _, n := range []int{1000, 32000} {
		dir := b.TempDir()
		var sb strings.Builder
		sb.WriteString("[project]\ndescription = \"scale\"\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&sb, "[components.c%d]\n[components.c%d.build]\nwith = [\"x\"]\n", i, i)
		}
		if err := os.WriteFile(filepath.Join(dir, config.RootFileName), []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("components=%d/one", n), func(b *testing.B) { benchLazy(b, dir, "c1", false) })
		b.Run(fmt.Sprintf("components=%d/all", n), func(b *testing.B) { benchLazy(b, dir, "", true) })
		b.Run(fmt.Sprintf("components=%d/uncached", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := config.Load(config.Options{StartDir: dir, HostArch: "x86_64"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchLazy(b *testing.B, root, one string, all bool) {
	b.Setenv("AZLDEV_CACHE_DIR", b.TempDir())
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = -time.Hour // measure a settled cache
	opts := config.Options{StartDir: root, HostArch: "x86_64"}
	if _, err := Load(opts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := Load(opts)
		if err != nil || !c.FromCache() {
			b.Fatal("cache miss", err)
		}
		if one != "" {
			if _, ok, err := c.Component(one); !ok || err != nil {
				b.Fatal(one, ok, err)
			}
		}
		if all {
			if err := c.LoadComponents(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
