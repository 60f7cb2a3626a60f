package config

import (
	"os"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

func corpusOrSkip(tb testing.TB) string { return testutil.CorpusDir(tb) }

// BenchmarkLoadCorpus loads and merges the whole Azure Linux 4 configuration.
func BenchmarkLoadCorpus(b *testing.B) {
	root := corpusOrSkip(b)
	for b.Loop() {
		if _, err := Load(Options{StartDir: root, HostArch: "x86_64"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeComponentsToml(b *testing.B) {
	root := corpusOrSkip(b)
	data, err := os.ReadFile(root + "/base/comps/components.toml")
	if err != nil {
		b.Fatal(err)
	}
	l := &loader{cfg: &Config{}}
	for b.Loop() {
		if _, err := l.decode("components.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}
