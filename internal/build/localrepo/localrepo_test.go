package localrepo

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }

// newRepo publishes packages into a new repository and returns it.
func newRepo(t *testing.T, rpms ...string) string {
	t.Helper()
	testutil.NeedPrograms(t, "createrepo_c")
	repo := t.TempDir()
	if err := Publish(context.Background(), repo, rpms); err != nil {
		t.Fatal(err)
	}
	return repo
}

// primaryFile returns the path of repo's primary metadata file.
func primaryFile(t *testing.T, repo string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(repo, "repodata", "*-primary.xml*"))
	if len(m) != 1 {
		t.Fatalf("primary files %v", m)
	}
	return m[0]
}

func wantError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestCheckAcceptsAFreshRepository(t *testing.T) {
	repo := newRepo(t, testutil.BuildRPM(t, "alpha", "1.0", ""))
	if err := Check(repo); err != nil {
		t.Fatal(err)
	}
	if err := CheckPublish(repo); err != nil {
		t.Fatal(err)
	}
}

func TestCheckRefusesBadRepositories(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	wantError(t, Check(missing), "local repository "+missing+" does not exist")
	wantError(t, CheckPublish(missing), "does not exist")

	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	wantError(t, Check(file), "is not a directory")

	empty := t.TempDir()
	wantError(t, Check(empty), "has no metadata (repodata/repomd.xml); create it with `createrepo_c "+empty+"`")
	if err := CheckPublish(empty); err != nil {
		t.Errorf("an empty directory can be published to: %v", err)
	}
}

func TestCheckFindsCorruptedMetadata(t *testing.T) {
	rpm := testutil.BuildRPM(t, "alpha", "1.0", "")
	t.Run("checksum", func(t *testing.T) {
		repo := newRepo(t, rpm)
		primary := primaryFile(t, repo)
		if err := os.WriteFile(primary, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := Check(repo)
		wantError(t, err, "local repository "+repo+": corrupted repository metadata: repodata/"+filepath.Base(primary)+": sha256 checksum",
			"regenerate it with `createrepo_c "+repo+"`")
		wantError(t, CheckPublish(repo), "corrupted repository metadata")
	})
	t.Run("missing file", func(t *testing.T) {
		repo := newRepo(t, rpm)
		os.Remove(primaryFile(t, repo))
		wantError(t, Check(repo), "corrupted repository metadata", "no such file or directory")
	})
	t.Run("not xml", func(t *testing.T) {
		repo := newRepo(t, rpm)
		os.WriteFile(filepath.Join(repo, "repodata", "repomd.xml"), []byte("<repomd><data"), 0o644)
		wantError(t, Check(repo), "corrupted repository metadata: repodata/repomd.xml")
	})
	t.Run("escaping location", func(t *testing.T) {
		repo := newRepo(t, rpm)
		os.WriteFile(filepath.Join(repo, "repodata", "repomd.xml"), []byte(`<repomd><data type="primary">
<checksum type="sha256">00</checksum><location href="../../etc/passwd"/></data></repomd>`), 0o644)
		wantError(t, Check(repo), "corrupted repository metadata", "climbs above")
	})
}

func TestCheckPublishRefusesReadOnlyRepository(t *testing.T) {
	repo := t.TempDir()
	if err := os.Chmod(repo, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(repo, 0o755) })
	wantError(t, CheckPublish(repo), "local repository "+repo+" is read-only (mode -r-xr-xr-x)")
}

func TestCheckOutside(t *testing.T) {
	out := "/p/out"
	for dir, bad := range map[string]bool{"/p/out": true, "/p/out/repo": true, "/p": true, "/p/repo": false, "/p/outside": false, "/other": false} {
		err := CheckOutside(dir, out)
		if bad != (err != nil) {
			t.Errorf("%s: %v", dir, err)
		}
	}
	wantError(t, CheckOutside("/p/out/repo", out), "local repository /p/out/repo overlaps the output directory /p/out")
}

// listed returns the package file names repo's metadata lists.
func listed(t *testing.T, repo string) []string {
	t.Helper()
	if err := Check(repo); err != nil {
		t.Fatal(err)
	}
	md, err := readRepomd(repo)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for f := range md.files() {
		names = append(names, f)
	}
	entries, _ := os.ReadDir(filepath.Join(repo, "repodata"))
	if len(entries) != len(names) {
		t.Errorf("repodata holds %d files, metadata lists %d", len(entries), len(names))
	}
	var rpms []string
	all, _ := os.ReadDir(repo)
	for _, e := range all {
		rpms = append(rpms, e.Name())
	}
	return rpms
}

func TestPublishAddsReplacesAndKeepsIdentical(t *testing.T) {
	a1 := testutil.BuildRPM(t, "alpha", "1.0", "")
	b1 := testutil.BuildRPM(t, "beta", "1.0", "")
	repo := newRepo(t, a1)
	if got := listed(t, repo); !slices.Equal(got, []string{"alpha-1.0-1.noarch.rpm", "repodata"}) {
		t.Fatalf("got %v", got)
	}
	before, _ := os.Stat(filepath.Join(repo, "alpha-1.0-1.noarch.rpm"))
	if err := Publish(context.Background(), repo, []string{a1, b1}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(repo, "alpha-1.0-1.noarch.rpm"))
	if !os.SameFile(before, after) {
		t.Error("an identical package was copied again")
	}
	if got := listed(t, repo); !slices.Equal(got, []string{"alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm", "repodata"}) {
		t.Fatalf("got %v", got)
	}
	other := testutil.BuildRPM(t, "alpha", "1.0", "Provides: alpha-other")
	if err := Publish(context.Background(), repo, []string{other}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(repo, "alpha-1.0-1.noarch.rpm"))
	want, _ := os.ReadFile(other)
	if string(got) != string(want) {
		t.Error("a changed package was not replaced")
	}
	listed(t, repo)
}

func TestPublishLeavesNothingBehindOnFailure(t *testing.T) {
	a1 := testutil.BuildRPM(t, "alpha", "1.0", "")
	repo := newRepo(t, a1)
	before := testutil.Snapshot(t, repo)
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "createrepo_c"), []byte("#!/bin/sh\nmkdir -p \"$3/repodata\"; echo partial > \"$3/repodata/x-primary.xml.gz\"; exit 1\n"), 0o755)
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	changed := testutil.BuildRPM(t, "alpha", "1.0", "Provides: alpha-other")
	err := Publish(context.Background(), repo, []string{changed, testutil.BuildRPM(t, "beta", "1.0", "")})
	wantError(t, err, "createrepo_c")
	if after := testutil.Snapshot(t, repo); !maps.Equal(before, after) {
		t.Errorf("repository changed by a failed publication:\nbefore %v\nafter  %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
	}
}

func TestConcurrentPublishersTakeTurns(t *testing.T) {
	rpms := []string{testutil.BuildRPM(t, "alpha", "1.0", ""), testutil.BuildRPM(t, "beta", "1.0", ""),
		testutil.BuildRPM(t, "gamma", "1.0", ""), testutil.BuildRPM(t, "delta", "1.0", "")}
	repo := newRepo(t)
	var wg sync.WaitGroup
	errs := make([]error, len(rpms))
	for i, rpm := range rpms {
		wg.Go(func() { errs[i] = Publish(context.Background(), repo, []string{rpm}) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := listed(t, repo); len(got) != 5 {
		t.Errorf("got %v", got)
	}
	testutil.NeedPrograms(t, "dnf")
	for _, name := range []string{"alpha", "beta", "gamma", "delta"} {
		found, err := WhatProvides(context.Background(), []string{repo}, name, t.TempDir())
		if err != nil || len(found) != 1 {
			t.Errorf("%s: %v, %v", name, found, err)
		}
	}
}

func TestWhatProvides(t *testing.T) {
	testutil.NeedPrograms(t, "dnf")
	one := newRepo(t, testutil.BuildRPM(t, "alpha", "1.0", "Provides: feature(x) = 2"))
	two := newRepo(t, testutil.BuildRPM(t, "beta", "3.0", "Provides: feature(x) = 1"))
	repos := []string{one, two}
	for dep, want := range map[string][]string{
		"alpha":                 {one},
		"feature(x)":            {one, two},
		"feature(x) >= 2":       {one},
		"beta < 3":              nil,
		"/usr/share/beta/data":  {two},
		"(alpha or nothing)":    {one},
		"nothing-provides-this": nil,
	} {
		got, err := WhatProvides(context.Background(), repos, dep, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", dep, got, want)
		}
	}
}

func TestPublishSweepsKilledPublications(t *testing.T) {
	repo := newRepo(t, testutil.BuildRPM(t, "alpha", "1.0", ""))
	before := testutil.Snapshot(t, repo)
	// Leftovers of a process that no longer runs (PID 2^22+1 is beyond pid_max's default).
	leftovers := []string{".azldev-repodata-4194305-1", ".alpha-1.0-1.noarch.rpm.azldev-replaced-4194305-2", ".beta-1.0-1.noarch.rpm.tmp-4194305-3"}
	os.Mkdir(filepath.Join(repo, leftovers[0]), 0o755)
	os.WriteFile(filepath.Join(repo, leftovers[0], "primary.xml.gz"), []byte("partial"), 0o644)
	for _, l := range leftovers[1:] {
		os.WriteFile(filepath.Join(repo, l), []byte("partial"), 0o644)
	}
	if err := Publish(context.Background(), repo, nil); err != nil {
		t.Fatal(err)
	}
	if after := testutil.Snapshot(t, repo); !maps.Equal(before, after) {
		t.Errorf("left behind: %v", slices.Sorted(maps.Keys(after)))
	}
}
