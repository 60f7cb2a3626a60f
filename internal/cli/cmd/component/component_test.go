package component

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestMain runs the tests without the user's git configuration or caches.
func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }

const project = `[project]
description = "t"
default-distro = { name = "azl", version = "1" }

[distros.azl]
default-version = "1"

[distros.azl.versions.1]
release-ver = "1"

[components.hello]
spec = { type = "local", path = "hello/hello.spec" }

[components.world]
spec = { type = "local", path = "world/world.spec" }
`

// newApp returns an App on a fresh project, printing in format.
func newApp(t *testing.T, format string) (*app.App, *bytes.Buffer, string) {
	t.Helper()
	dir := testutil.WriteTree(t, map[string]string{
		"azldev.toml":      project,
		"hello/hello.spec": "Name: hello\nVersion: 1\nRelease: 1\n",
		"world/world.spec": "Name: world\nVersion: 1\nRelease: 1\n",
	})
	var out, errb bytes.Buffer
	a := app.New(&out, &errb)
	a.Opts.Project, a.Opts.OutputFormat = dir, format
	a.SetupLogging()
	t.Cleanup(a.Close)
	return a, &out, dir
}

func TestRunList(t *testing.T) {
	a, out, _ := newApp(t, "json")
	if err := runList(context.Background(), a, ListOptions{Selection: app.Selection{Selection: resolve.Selection{Patterns: []string{"w*"}}}}); err != nil {
		t.Fatal(err)
	}
	var got []componentJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 1 || got[0].Name != "world" {
		t.Fatalf("got %s (%v)", out, err)
	}
}

func TestRunAdd(t *testing.T) {
	a, _, dir := newApp(t, "table")
	if err := runAdd(a, AddOptions{Names: []string{"curl"}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "azldev.toml"))
	if !strings.HasSuffix(string(data), "\n[components.curl]\n") {
		t.Fatalf("root file:\n%s", data)
	}
	if err := runAdd(a, AddOptions{Names: []string{"hello"}}); err == nil {
		t.Error("adding an existing component succeeded")
	}
}

func TestRunUpdateDryRun(t *testing.T) {
	a, out, dir := newApp(t, "csv")
	opts := UpdateOptions{Selection: app.Selection{Selection: resolve.Selection{All: true}}}
	opts.Update.DryRun = true
	if err := runUpdate(context.Background(), a, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "hello,") || !strings.Contains(out.String(), "world,") {
		t.Fatalf("output: %s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "locks")); !os.IsNotExist(err) {
		t.Fatalf("dry run wrote locks: %v", err)
	}
}

func TestRunPrepareSourcesNeedsOneComponent(t *testing.T) {
	a, _, dir := newApp(t, "table")
	opts := PrepareSourcesOptions{Selection: app.Selection{Selection: resolve.Selection{All: true}}}
	opts.Prepare.OutputDir = filepath.Join(dir, "out")
	if err := runPrepareSources(context.Background(), a, opts); err == nil || !strings.Contains(err.Error(), "exactly one component, got 2") {
		t.Fatalf("got %v", err)
	}
}

func TestColorDiff(t *testing.T) {
	diff := "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n ctx\n"
	if got := colorDiff(diff, false); got != diff {
		t.Errorf("uncolored diff changed: %q", got)
	}
	got := colorDiff(diff, true)
	for _, want := range []string{"\x1b[1m--- a/x\x1b[0m\n", "\x1b[36m@@ -1 +1 @@\x1b[0m\n", "\x1b[31m-old\x1b[0m\n", "\x1b[32m+new\x1b[0m\n", " ctx\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("colored diff lacks %q:\n%q", want, got)
		}
	}
}
