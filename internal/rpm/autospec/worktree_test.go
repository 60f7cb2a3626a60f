package autospec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// twoCommits is a history at release 2 of version 1.0.
func twoCommits(t *testing.T, more ...string) string {
	return distGit(t,
		commitOf(t, "2026-01-05T08:00:00Z", "One", autoSpec("1.0"), more...),
		commitOf(t, "2026-01-06T08:00:00Z", "Two", autoSpec("1.0"), more...),
	)
}

// older are the entries of twoCommits.
var older = []string{
	"* Tue Jan 06 2026 Jane Packager <jane@example.org> - 1.0-2\n- Two",
	"* Mon Jan 05 2026 Jane Packager <jane@example.org> - 1.0-1\n- One",
}

// write replaces a file.
func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestDirtyWorkTree(t *testing.T) {
	uncommitted := func(who, evr string) string {
		return "* Sat Mar 14 2026 " + who + " - " + evr + "\n- Uncommitted changes"
	}
	edited := autoSpec("1.0") + "# edited\n"
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, path string)
		want string
	}{
		{"untracked file only", func(t *testing.T, path string) {
			write(t, filepath.Join(filepath.Dir(path), "new.patch"), "x", 0o644)
		}, header(2) + withoutTail(autoSpec("1.0")) + block(older...)},
		{"spec edited, no identity", func(t *testing.T, path string) {
			write(t, path, edited, 0o644)
		}, header(3) + withoutTail(autoSpec("1.0")) + block(append([]string{uncommitted(unknownUser, "1.0-3")}, older...)...)},
		{"identity configured", func(t *testing.T, path string) {
			gitRun(t, filepath.Dir(path), "config", "user.name", "Pat Dev")
			gitRun(t, filepath.Dir(path), "config", "user.email", "pat@example.org")
			write(t, filepath.Join(filepath.Dir(path), "sources"), "changed\n", 0o644)
		}, header(3) + withoutTail(autoSpec("1.0")) + block(append([]string{uncommitted("Pat Dev <pat@example.org>", "1.0-3")}, older...)...)},
		{"new version", func(t *testing.T, path string) {
			write(t, path, autoSpec("2.0"), 0o644)
		}, header(1) + withoutTail(autoSpec("2.0")) + block(append([]string{uncommitted(unknownUser, "2.0-1")}, older...)...)},
		{"file deleted", func(t *testing.T, path string) {
			if err := os.Remove(filepath.Join(filepath.Dir(path), "sources")); err != nil {
				t.Fatal(err)
			}
		}, header(3) + withoutTail(autoSpec("1.0")) + block(append([]string{uncommitted(unknownUser, "1.0-3")}, older...)...)},
		{"executable bit", func(t *testing.T, path string) {
			write(t, filepath.Join(filepath.Dir(path), "sources"), "SHA512 (foo-1.tar.gz) = 00\n", 0o755)
		}, header(3) + withoutTail(autoSpec("1.0")) + block(append([]string{uncommitted(unknownUser, "1.0-3")}, older...)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := twoCommits(t)
			tc.edit(t, path)
			checkText(t, processed(t, path), tc.want)
		})
	}
}

func TestDirtyWithoutChangelogFile(t *testing.T) {
	path := distGit(t,
		commitOf(t, "2025-06-01T08:00:00Z", "Convert", autoSpec("3.0"), "changelog", legacyEntries),
		commitOf(t, "2025-07-01T08:00:00Z", "Rebuild", autoSpec("3.0"), "changelog", legacyEntries),
	)
	if err := os.Remove(filepath.Join(filepath.Dir(path), "changelog")); err != nil {
		t.Fatal(err)
	}
	checkText(t, processed(t, path), header(3)+withoutTail(autoSpec("3.0"))+block(
		"* Sat Mar 14 2026 "+unknownUser+" - 3.0-3\n- Uncommitted changes",
		"* Tue Jul 01 2025 Jane Packager <jane@example.org> - 3.0-2\n- Rebuild"))
}

func TestNoRepository(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "foo.spec")
	write(t, path, autoSpec("1.0"), 0o640)
	entry := "* Sat Mar 14 2026 John Doe <packager@example.com> - 1.0-1\n- Uncommitted changes"
	checkText(t, processed(t, path), header(1)+withoutTail(autoSpec("1.0"))+block(entry))
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode: %v, %v", fi.Mode(), err)
	}

	write(t, path, autoSpec("1.0"), 0o644)
	opts := testOptions()
	opts.Packager = "Pat Dev <pat@example.org>"
	if _, err := Process(context.Background(), path, opts); err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(path)
	checkText(t, string(out), header(1)+withoutTail(autoSpec("1.0"))+block(
		"* Sat Mar 14 2026 Pat Dev <pat@example.org> - 1.0-1\n- Uncommitted changes"))
}

func TestUntouched(t *testing.T) {
	for name, spec := range map[string]string{
		"static":    testSpec("Version: 1.0\nRelease: 1%{?dist}\n", "\n%changelog\n* Mon Jan 05 2026 J <j@example.org> - 1.0-1\n- x\n"),
		"processed": header(1) + withoutTail(autoSpec("1.0")) + block(),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "foo.spec")
			write(t, path, spec, 0o644)
			changed, err := Process(context.Background(), path, Options{}) // no facts needed
			out, _ := os.ReadFile(path)
			if changed || err != nil || string(out) != spec {
				t.Errorf("changed %v, err %v, content changed %v", changed, err, string(out) != spec)
			}
		})
	}
}

func TestUnparseableCurrentSpec(t *testing.T) {
	// Clean tree whose HEAD is unparseable.
	path := distGit(t, commitOf(t, "2026-01-05T08:00:00Z", "Bad", autoSpec("1.0-bad")))
	if _, err := Process(context.Background(), path, testOptions()); !errors.Is(err, ErrUnparseable) {
		t.Errorf("clean: %v", err)
	}
	// Dirty tree whose work-tree spec is unparseable.
	path = twoCommits(t)
	write(t, path, autoSpec("1.0-bad"), 0o644)
	if _, _, err := CalculateRelease(context.Background(), path, testOptions()); !errors.Is(err, ErrUnparseable) {
		t.Errorf("dirty: %v", err)
	}
	// HEAD lacks the spec (here: an untracked foo.spec).
	path = distGit(t, commitOf(t, "2026-01-05T08:00:00Z", "Other", autoSpec("1.0")))
	gitRun(t, filepath.Dir(path), "rm", "-q", "--cached", "foo.spec")
	gitRun(t, filepath.Dir(path), "-c", "user.name=X", "-c", "user.email=x@example.org", "commit", "-q", "-m", "untrack")
	if _, err := Process(context.Background(), path, testOptions()); !errors.Is(err, ErrUnparseable) {
		t.Errorf("untracked spec: %v", err)
	}
}

func TestCalculateReleaseDirty(t *testing.T) {
	path := twoCommits(t)
	write(t, path, autoSpec("1.0")+"# more\n", 0o644)
	if complete, n := calculate(t, path); complete != "3" || n != 3 {
		t.Errorf("got %q, %d", complete, n)
	}
}

func TestIncludeFallsBackToTree(t *testing.T) {
	spec := testSpec("%include version.inc\nRelease:        %autorelease\n", "\n%changelog\n%autochangelog\n")
	path := distGit(t,
		commitOf(t, "2026-01-05T08:00:00Z", "One", spec, "version.inc", "Version: 1.0\n"),
		commitOf(t, "2026-01-06T08:00:00Z", "Two", spec, "version.inc", "Version: 2.0\n"),
	)
	checkText(t, processed(t, path), header(1)+withoutTail(spec)+block(
		"* Tue Jan 06 2026 Jane Packager <jane@example.org> - 2.0-1\n- Two",
		"* Mon Jan 05 2026 Jane Packager <jane@example.org> - 1.0-1\n- One"))
}

func TestEachBlobEvaluatedOnce(t *testing.T) {
	path := distGit(t,
		commitOf(t, "2026-01-05T08:00:00Z", "One", autoSpec("1.0")),
		commitOf(t, "2026-01-06T08:00:00Z", "Two", autoSpec("1.0"), "note", "2"),
		commitOf(t, "2026-01-07T08:00:00Z", "Three", autoSpec("1.1")),
	)
	calls := 0
	opts := testOptions()
	opts.Facts = countingFacts{&calls}
	if _, err := Process(context.Background(), path, opts); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("%d evaluations for 2 distinct spec blobs", calls)
	}
}
