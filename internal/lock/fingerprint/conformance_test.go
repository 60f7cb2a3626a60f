package fingerprint_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/lock/fingerprint"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestConformanceLocks recomputes the fingerprint (and, for upstream
// components, the resolution input hash) of every lock file the reference
// wrote in the conformance suite, from the case's project as it was when the
// last `component update` step ran. Upstream source identities are the
// recorded upstream commits; local ones are hashed from the spec directory.
func TestConformanceLocks(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join(testutil.SharedDir(t, "conformance/cases"), "*", "expected", "locks"))
	if len(cases) == 0 {
		t.Fatal("no recorded lock files in the conformance suite")
	}
	var tally tally
	for _, locksDir := range cases {
		caseDir := filepath.Dir(filepath.Dir(locksDir))
		t.Run(filepath.Base(caseDir), func(t *testing.T) {
			checkCase(t, caseDir, locksDir, &tally)
		})
	}
	if tally.local.tried == 0 || tally.upstream.tried == 0 {
		t.Errorf("no recorded lock was checked")
	}
	t.Logf("input fingerprints reproduced: local %d/%d, upstream %d/%d; resolution hashes: %d/%d",
		tally.local.ok, tally.local.tried, tally.upstream.ok, tally.upstream.tried, tally.resolution.ok, tally.resolution.tried)
}

type count struct{ ok, tried int }

func (c *count) add(ok bool) {
	c.tried++
	if ok {
		c.ok++
	}
}

type tally struct{ local, upstream, resolution count }

func checkCase(t *testing.T, caseDir, locksDir string, tl *tally) {
	project := prepareProject(t, caseDir)
	cfg, err := config.Load(config.Options{StartDir: project, HostArch: "x86_64"})
	if err != nil {
		t.Fatalf("loading project: %v", err)
	}
	r, err := resolve.New(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	locks, _ := filepath.Glob(filepath.Join(locksDir, "*.lock"))
	for _, p := range locks {
		want, err := lockfile.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), lockfile.Ext)
		c, err := r.Resolve(name)
		if err != nil {
			t.Fatalf("resolving %s: %v", name, err)
		}
		checkComponent(t, cfg, c, want, tl)
	}
}

func checkComponent(t *testing.T, cfg *config.Config, c *resolve.Component, want *lockfile.Lock, tl *tally) {
	in := fingerprint.Inputs{
		Config:         &c.Config,
		SourceIdentity: want.UpstreamCommit,
		ManualBump:     want.ManualBump,
		ReleaseVer:     resolve.SourceDistro(cfg, &c.Config).ReleaseVer(),
	}
	local := c.Config.Spec.Type == config.SpecTypeLocal
	if local {
		id, err := fingerprint.LocalSourceIdentity(c.SpecDir())
		if err != nil {
			t.Fatal(err)
		}
		in.SourceIdentity = id
	}
	got, err := fingerprint.InputFingerprint(in)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	ok := got == want.InputFingerprint
	if local {
		tl.local.add(ok)
	} else {
		tl.upstream.add(ok)
	}
	if !ok {
		t.Errorf("%s: input fingerprint %s, recorded %s (config hash %d)", c.Name, got, want.InputFingerprint, fingerprint.ConfigHash(&c.Config))
	}
	if want.ResolutionInputHash == "" {
		return
	}
	rh := fingerprint.ResolutionInputHash(fingerprint.ResolutionInputsOf(cfg, &c.Config))
	tl.resolution.add(rh == want.ResolutionInputHash)
	if rh != want.ResolutionInputHash {
		t.Errorf("%s: resolution hash %s, recorded %s (%+v)", c.Name, rh, want.ResolutionInputHash,
			fingerprint.ResolutionInputsOf(cfg, &c.Config))
	}
}

// step is one entry of a case's cmd file.
type step struct {
	args []string
	copy string
}

func loadSteps(t *testing.T, caseDir string) []step {
	data, err := os.ReadFile(filepath.Join(caseDir, "cmd"))
	if err != nil {
		t.Fatal(err)
	}
	var single []string
	if json.Unmarshal(data, &single) == nil {
		return []step{{args: single}}
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	steps := make([]step, 0, len(raw))
	for _, m := range raw {
		var s step
		if json.Unmarshal(m, &s.args) != nil {
			var obj struct {
				Copy string `json:"copy"`
			}
			_ = json.Unmarshal(m, &obj)
			s.copy = obj.Copy
		}
		steps = append(steps, s)
	}
	return steps
}

// prepareProject lays the case's project out as the conformance runner does
// (<tmp>/project with placeholders replaced) and applies the `copy` steps that
// precede the last `component update`, so the tree is what that update saw.
func prepareProject(t *testing.T, caseDir string) string {
	tmp := t.TempDir()
	project := filepath.Join(tmp, "project")
	repl := strings.NewReplacer("{{OUT}}", filepath.Join(tmp, "out"),
		"{{DISTGIT}}", filepath.Join(tmp, "distgit"), "{{PROJECT}}", project)
	copyTree(t, filepath.Join(caseDir, "project"), project, repl)
	steps := loadSteps(t, caseDir)
	last := -1
	for i, s := range steps {
		if len(s.args) >= 2 && s.args[0] == "component" && s.args[1] == "update" {
			last = i
		}
	}
	if last < 0 {
		t.Skip("no component update step")
	}
	for _, s := range steps[:last] {
		if s.copy != "" {
			copyTree(t, filepath.Join(caseDir, s.copy), project, repl)
		}
	}
	return project
}

// copyTree copies the regular files under src over dst, replacing the
// placeholders in UTF-8 text files, and recreates symlinks as they are.
func copyTree(t *testing.T, src, dst string, repl *strings.Replacer) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			_ = os.Remove(target)
			return os.Symlink(link, target)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte("{{")) && utf8.Valid(data) {
			data = []byte(repl.Replace(string(data)))
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
