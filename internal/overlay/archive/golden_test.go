package archive

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"

	"github.com/pelletier/go-toml/v2"
)

// compConfig is the subset of a *.comp.toml file the golden test needs.
type compConfig struct {
	Components map[string]struct {
		Overlays []struct {
			Type        string `toml:"type"`
			File        string `toml:"file"`
			Regex       string `toml:"regex"`
			Replacement string `toml:"replacement"`
			Archive     string `toml:"archive"`
		} `toml:"overlays"`
	} `toml:"components"`
}

// archiveGroup is the ordered list of overlays for one archive, next to the
// directory holding the original archive.
type archiveGroup struct {
	dir, name string
	ops       []Op
}

// TestGoldenConformanceArchives replays the archive overlays of every
// successful archive-* conformance case and compares the repacked archive
// byte for byte with the one recorded from the reference implementation.
func TestGoldenConformanceArchives(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join(testutil.SharedDir(t, "conformance/cases"), "archive-*"))
	if len(cases) == 0 {
		t.Fatal("no archive-* conformance cases")
	}
	matched, total, unchanged := 0, 0, 0
	for _, dir := range cases {
		status, err := os.ReadFile(filepath.Join(dir, "expected", "status"))
		if err != nil || strings.TrimSpace(string(status)) != "ok" {
			continue
		}
		skipSources := cmdHasFlag(t, dir, "--skip-sources")
		for _, g := range archiveGroups(t, filepath.Join(dir, "project")) {
			if skipSources {
				unchanged++
			} else {
				total++
			}
			name := filepath.Base(dir) + "/" + g.name
			ok := t.Run(name, func(t *testing.T) {
				checkGolden(t, g, filepath.Join(dir, "expected", "files", g.name), skipSources)
			})
			if ok && !skipSources {
				matched++
			}
		}
	}
	if total == 0 {
		t.Fatal("no archive overlays found in the conformance cases")
	}
	t.Logf("golden archives: %d of %d repacked archives match; %d --skip-sources archives left untouched", matched, total, unchanged)
}

func checkGolden(t *testing.T, g archiveGroup, expectedPath string, skipSources bool) {
	orig := readFile(t, filepath.Join(g.dir, g.name))
	want := readFile(t, expectedPath)
	if skipSources {
		// The reference skips archive overlays with --skip-sources.
		if !bytes.Equal(orig, want) {
			t.Fatal("--skip-sources case: expected archive differs from the original")
		}
		return
	}
	work := filepath.Join(t.TempDir(), g.name)
	if err := os.WriteFile(work, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ApplyOverlays(work, g.ops...); err != nil {
		t.Fatalf("ApplyOverlays: %v", err)
	}
	if got := readFile(t, work); !bytes.Equal(got, want) {
		t.Fatalf("repacked archive differs from the reference (%d bytes, want %d)", len(got), len(want))
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cmdHasFlag(t *testing.T, caseDir, flag string) bool {
	t.Helper()
	var args []any
	if err := json.Unmarshal(readFile(t, filepath.Join(caseDir, "cmd")), &args); err != nil {
		t.Fatalf("%s/cmd: %v", caseDir, err)
	}
	return slices.Contains(args, any(flag))
}

// archiveGroups collects archive-scoped overlays from every *.comp.toml
// below project, grouped by archive in order of first appearance.
func archiveGroups(t *testing.T, project string) []archiveGroup {
	t.Helper()
	var groups []archiveGroup
	err := filepath.WalkDir(project, func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".comp.toml") {
			return err
		}
		var cfg compConfig
		if err := toml.Unmarshal(readFile(t, p), &cfg); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, comp := range cfg.Components {
			for _, o := range comp.Overlays {
				if o.Archive == "" {
					continue
				}
				i := slices.IndexFunc(groups, func(g archiveGroup) bool { return g.name == o.Archive })
				if i < 0 {
					groups = append(groups, archiveGroup{dir: filepath.Dir(p), name: o.Archive})
					i = len(groups) - 1
				}
				groups[i].ops = append(groups[i].ops, Op{o.Type, o.File, o.Regex, o.Replacement})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return groups
}
