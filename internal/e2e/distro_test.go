package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestRenderWholeDistribution renders all of Azure Linux 4 offline, as a
// distro engineer would: a dist-git mirror of every component made from the
// corpus (../shared/tools/gen_distro_mirror.py, lock-commit mode), then
// `component update -a`, the lock commit, `component render -a`, and a
// comparison with the corpus of every component the fixture expects to come
// out byte-identical. Opt-in (AZLDEV_FULL_DISTRO=1; .ci/run sets it): it
// takes several minutes and about 1 GB of disk. AZLDEV_FULL_DISTRO_REPORT
// names a file to write the per-cause report to.
func TestRenderWholeDistribution(t *testing.T) {
	if os.Getenv("AZLDEV_FULL_DISTRO") != "1" {
		t.Skip("set AZLDEV_FULL_DISTRO=1 to render the whole distribution")
	}
	tool := filepath.Join(testutil.SharedDir(t, "tools"), "gen_distro_mirror.py")
	rpmconfig := testutil.SharedDir(t, "conformance/rpmconfig")
	out := t.TempDir()
	python(t, tool, "generate", "--mode", "lockcommit", "--out", out)
	project := filepath.Join(out, "project")

	e := newEnv(t)
	e.set("RPM_CONFIGDIR", rpmconfig)
	_, _, _, took := e.azldevTimed(project, "-q", "component", "update", "-a")
	t.Logf("component update -a: %v", took)
	python(t, tool, "commit-locks", "--out", out)
	stdout, stderr, code, took := e.azldevTimed(project, "-q", "-O", "json", "component", "render", "-a")
	if code != 0 {
		t.Fatalf("render -a exit %d: %s", code, stderr)
	}
	t.Logf("component render -a: %v (%d bytes of JSON)", took, len(stdout))
	_, _, _, again := e.azldevTimed(project, "-q", "component", "render", "-a")
	t.Logf("component render -a again, nothing changed: %v", again)
	_, stderr, code, check := e.azldevTimed(project, "-q", "component", "render", "-a", "--check-only")
	t.Logf("component render -a --check-only on the fresh tree: %v", check)
	if code != 0 {
		t.Errorf("--check-only on the freshly rendered tree: exit %d\n%s", code, stderr)
	}

	res := compareWithCorpus(t, filepath.Join(project, "specs"), filepath.Join(out, "expected", "expected.txt"))
	report := res.report()
	t.Log(report)
	if path := os.Getenv("AZLDEV_FULL_DISTRO_REPORT"); path != "" {
		if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
			t.Error(err)
		}
	}
	if res.identical*1000 < res.total*995 {
		t.Errorf("%d of %d expected components identical, below 99.5%%", res.identical, res.total)
	}
}

// python runs the fixture tool with Debian's Python.
func python(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("/usr/bin/python3", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.Bytes())
	}
}

// distroResult is the comparison of a render with the corpus.
type distroResult struct {
	total, identical int
	byCause          map[string][]string
}

// compareWithCorpus checks, for every expected component, that the rendered
// directory holds exactly the files the corpus manifest lists and that its
// spec and sources file are the corpus' bytes (other corpus files are
// placeholders in the fixture).
func compareWithCorpus(t *testing.T, rendered, expectedList string) distroResult {
	corpus := testutil.SharedDir(t, "corpus/azl4")
	manifest := readManifest(t, filepath.Join(corpus, "specs-manifest.tsv"))
	res := distroResult{byCause: map[string][]string{}}
	for _, name := range readList(t, expectedList) {
		res.total++
		rel := filepath.Join(strings.ToLower(name[:1]), name)
		cause := compareComponent(filepath.Join(rendered, rel), filepath.Join(corpus, "specs", rel), manifest[name])
		if cause == "" {
			res.identical++
			continue
		}
		res.byCause[cause] = append(res.byCause[cause], name)
	}
	return res
}

// compareComponent returns "" when identical, else the cause.
func compareComponent(got, want string, files []string) string {
	if _, err := os.Stat(filepath.Join(got, "RENDER_FAILED")); err == nil {
		return "render failed"
	}
	var have []string
	_ = filepath.WalkDir(got, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(got, p)
			have = append(have, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(have)
	if !slices.Equal(have, files) {
		return "different file set"
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".spec") && f != "sources" {
			continue
		}
		a, errA := os.ReadFile(filepath.Join(got, f))
		b, errB := os.ReadFile(filepath.Join(want, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			return "different " + map[bool]string{true: "spec", false: "sources file"}[strings.HasSuffix(f, ".spec")]
		}
	}
	return ""
}

// readManifest maps each component to its sorted rendered file names.
func readManifest(t *testing.T, path string) map[string][]string {
	m := map[string][]string{}
	for _, line := range readList(t, path) {
		parts := strings.SplitN(strings.Split(line, "\t")[0], "/", 4)
		if len(parts) == 4 {
			m[parts[2]] = append(m[parts[2]], parts[3])
		}
	}
	for k := range m {
		slices.Sort(m[k])
	}
	return m
}

// readList reads the non-empty, non-comment lines of a file.
func readList(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// report lists the result and every non-identical component by cause.
func (r distroResult) report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d expected components byte-identical (%.2f%%)\n", r.identical, r.total, 100*float64(r.identical)/float64(r.total))
	causes := make([]string, 0, len(r.byCause))
	for c := range r.byCause {
		causes = append(causes, c)
	}
	slices.Sort(causes)
	for _, c := range causes {
		fmt.Fprintf(&b, "%s (%d): %s\n", c, len(r.byCause[c]), strings.Join(r.byCause[c], ", "))
	}
	return b.String()
}
