package component

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/graph"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

// newGraphApp returns an App on a project of two local components: app
// build-requires lib-devel; lib's rendered spec (which has lib-devel) is
// in the rendered-specs tree, app has none there.
func newGraphApp(t *testing.T) (*app.App, *bytes.Buffer) {
	t.Helper()
	dir := testutil.WriteTree(t, map[string]string{
		"azldev.toml": `[project]
rendered-specs-dir = "specs"
[components.app]
spec = { type = "local", path = "app/app.spec" }
[components.lib]
spec = { type = "local", path = "lib/lib.spec" }
`,
		"app/app.spec":         testutil.NoarchSpec("app", "1", "BuildRequires: lib-devel >= 1\n"),
		"lib/lib.spec":         testutil.NoarchSpec("lib", "1", ""),
		"specs/l/lib/lib.spec": testutil.NoarchSpec("lib", "1", "%package devel\nSummary: d\n%description devel\nD.\n"),
	})
	var out, errb bytes.Buffer
	a := app.New(&out, &errb)
	a.Opts.Project, a.Opts.OutputFormat = dir, "json"
	a.SetupLogging()
	t.Cleanup(a.Close)
	return a, &out
}

func TestRunGraph(t *testing.T) {
	a, out := newGraphApp(t)
	all := GraphOptions{Selection: app.Selection{Selection: resolve.Selection{All: true}}}
	if err := runGraph(context.Background(), a, all); err != nil {
		t.Fatal(err)
	}
	var r graph.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := fmt.Sprintf("%v %s %s %v", r.Waves, r.Components[0].SpecSource, r.Components[1].SpecSource, r.Components[0].BuildRequires)
	if want := "[[lib] [app]] prepared rendered [{lib-devel >= 1 [lib] }]"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	out.Reset()
	a.Opts.OutputFormat = "csv"
	if err := runGraph(context.Background(), a, GraphOptions{Rdeps: []string{"lib"}}); err != nil {
		t.Fatal(err)
	}
	if want := "Wave,Component,Depends On\n1,lib,\n2,app,lib\n"; out.String() != want {
		t.Errorf("--rdeps lib:\n%s", out)
	}
	out.Reset()
	if err := runGraph(context.Background(), a, GraphOptions{Selection: app.Selection{Selection: resolve.Selection{Patterns: []string{"app"}}}}); err != nil {
		t.Fatal(err)
	}
	if want := "Wave,Component\n1,app\n"; out.String() != want {
		t.Errorf("-p app:\n%s", out)
	}
}

func TestRunGraphSpecsDirTakesNoSelection(t *testing.T) {
	a, _ := newGraphApp(t)
	opts := GraphOptions{SpecsDir: "specs", Selection: app.Selection{Selection: resolve.Selection{All: true}}}
	if err := runGraph(context.Background(), a, opts); err == nil || !strings.Contains(err.Error(), "--specs-dir reads a whole tree") {
		t.Errorf("got %v", err)
	}
}
