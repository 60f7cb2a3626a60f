package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// NeedPrograms skips the test when one of the programs is not installed —
// or fails it under CI, whose setup (.ci/run) installs them.
func NeedPrograms(tb testing.TB, programs ...string) {
	tb.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") != "" {
				tb.Fatalf("%s not installed under CI", p)
			}
			tb.Skipf("%s not installed", p)
		}
	}
}

// NoarchSpec is a spec for a noarch package name-version-1 that installs
// one file, /usr/share/<name>/data, and has the given extra preamble lines
// (Provides:, BuildRequires:, ...).
func NoarchSpec(name, version, preamble string) string {
	return fmt.Sprintf(`Name: %[1]s
Version: %[2]s
Release: 1
Summary: Test package %[1]s
License: MIT
BuildArch: noarch
%[3]s
%%description
Test package %[1]s.

%%install
mkdir -p %%{buildroot}/usr/share/%[1]s
echo %[1]s-%[2]s > %%{buildroot}/usr/share/%[1]s/data

%%files
/usr/share/%[1]s/data

%%changelog
* Mon Jan 05 2026 Test <test@example.com> - %[2]s-1
- Test
`, name, version, preamble)
}

// BuildRPM builds NoarchSpec(name, version, preamble) with rpmbuild into a
// temporary directory and returns the binary package's path.
func BuildRPM(tb testing.TB, name, version, preamble string) string {
	tb.Helper()
	NeedPrograms(tb, "rpmbuild")
	dir := tb.TempDir()
	spec := filepath.Join(dir, name+".spec")
	if err := os.WriteFile(spec, []byte(NoarchSpec(name, version, preamble)), 0o644); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("rpmbuild", "-bb", "--quiet", "--define", "_topdir "+filepath.Join(dir, "top"),
		"--define", "_rpmdir "+dir, "--define", "_tmppath "+dir, spec)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("rpmbuild: %v\n%s", err, out)
	}
	return filepath.Join(dir, "noarch", name+"-"+version+"-1.noarch.rpm")
}
