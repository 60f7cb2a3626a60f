package cli

import (
	"context"
	"io"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

func corpusOrSkip(tb testing.TB) string { return testutil.CorpusDir(tb) }

func benchCommand(b *testing.B, args ...string) {
	root := corpusOrSkip(b)
	args = append([]string{"-C", root, "-q"}, args...)
	for b.Loop() {
		if code := Execute(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkComponentListAll is `component list -a -O json` on the Azure Linux 4 tree.
func BenchmarkComponentListAll(b *testing.B) {
	benchCommand(b, "component", "list", "-a", "-O", "json")
}

// BenchmarkComponentListOne is `component list -p curl` on the Azure Linux 4 tree.
func BenchmarkComponentListOne(b *testing.B) { benchCommand(b, "component", "list", "-p", "curl") }

// BenchmarkPackageListAll is `package list -a -O json` on the Azure Linux 4 tree.
func BenchmarkPackageListAll(b *testing.B) { benchCommand(b, "package", "list", "-a", "-O", "json") }
