package config

import (
	"testing"
)

// BenchmarkLoadLazyCorpus loads the Azure Linux 4 configuration from a warm
// cache and looks up one component.
func BenchmarkLoadLazyCorpus(b *testing.B) {
	root := corpusOrSkip(b)
	b.Setenv("AZLDEV_CACHE_DIR", b.TempDir())
	opts := Options{StartDir: root, HostArch: "x86_64"}
	if _, err := LoadLazy(opts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := LoadLazy(opts)
		if err != nil {
			b.Fatal(err)
		}
		if !c.FromCache() {
			b.Fatal("cache miss")
		}
		if _, ok, err := c.Component("curl"); !ok || err != nil {
			b.Fatal("curl", ok, err)
		}
	}
}
