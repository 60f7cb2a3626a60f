package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fuzzSeeds are small configurations exercising every table kind.
var fuzzSeeds = []string{
	"includes = [\"comps/*.toml\"]\n[project]\ndefault-distro = { name = \"azl\", version = \"1\" }\n",
	"[components.a]\nspec = { type = \"local\", path = \"a.spec\" }\n[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n",
	"[components.b.build]\nwith = [\"x\"]\ndefines = { a = \"1\" }\ncheck = { skip = true, skip_reason = \"r\" }\n",
	"[component-groups.g]\ncomponents = [\"a\"]\nspecs = [\"**/*.spec\"]\nmetadata = { category = \"azl-pruning\", upstream-status = \"unknown\" }\n",
	"[distros.d]\ndefault-version = \"1\"\n[distros.d.versions.'1']\nrelease-ver = \"1\"\n[distros.d.versions.'1'.default-component-config]\nspec = { type = \"upstream\" }\n",
	"[package-groups.p]\npackages = [\"a\", \"b\"]\ndefault-package-config.publish.channel = \"c\"\n",
	"[images.i]\ndefinition = { type = \"kiwi\", path = \"i.kiwi\" }\ncapabilities = { container = false }\n",
	"[[components.c.source-files]]\nfilename = \"x.tar.gz\"\nhash = \"ab\"\nhash-type = \"SHA512\"\norigin = { type = \"download\", uri = \"https://e/x\" }\n",
	"[test-suites.t]\ntype = \"pytest\"\npytest = { working-dir = \"t\", install = \"none\" }\n",
	"a = \"\"\"\n[components.x]\n\"\"\"\n[components.'q\"']\n",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
}

// FuzzCheck decodes, validates and indexes arbitrary bytes: never panics, and
// every reported problem is positioned inside the document.
func FuzzCheck(f *testing.F) {
	addSeeds(f)
	l := &loader{cfg: &Config{}, opts: Options{Permissive: false}}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := l.check("f.toml", data)
		idx := indexKeys(data)
		lines := strings.Count(string(data), "\n") + 1
		for _, pos := range idx {
			if pos.Line < 1 || pos.Line > lines {
				t.Fatalf("key position %v outside a %d-line document", pos, lines)
			}
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.toml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

// FuzzSplitDecode checks that decoding a large document in parts gives the
// same result as decoding it whole.
func FuzzSplitDecode(f *testing.F) {
	addSeeds(f)
	l := &loader{cfg: &Config{}}
	f.Fuzz(func(t *testing.T, fragment []byte) {
		var b strings.Builder
		for i := range minTablesToSplit + tablesPerPart {
			fmt.Fprintf(&b, "[components.c%d]\n%s\n", i, fragment)
		}
		doc := []byte(b.String())
		whole, errWhole := l.decodeWhole("f.toml", doc)
		split, errSplit := l.decode("f.toml", doc)
		if (errWhole == nil) != (errSplit == nil) {
			t.Fatalf("whole error %v, split error %v", errWhole, errSplit)
		}
		if errWhole == nil && !reflect.DeepEqual(whole, split) {
			t.Fatal("split decoding differs from whole decoding")
		}
	})
}

// FuzzLoad loads an arbitrary root azldev.toml (with one included file) from disk.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		root := append([]byte("includes = [\"inc/*.toml\"]\n"), data...)
		if err := os.WriteFile(filepath.Join(dir, RootFileName), root, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "inc"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "inc", "x.toml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, permissive := range []bool{false, true} {
			_, _ = Load(Options{StartDir: dir, Permissive: permissive, HostArch: "x86_64"})
		}
	})
}
