package component_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/cli"
	"github.com/azlforge/azldev/internal/lock/changed"
	"github.com/azlforge/azldev/internal/testutil"
)

// project is a small azldev project in a real git repository, driven through
// the CLI in-process.
type project struct {
	*testutil.Repo
}

const rootConfig = `includes = ["comps/*.comp.toml"]

[project]
description = "changed-e2e"
default-distro = { name = "azl", version = "1" }

[distros.azl]
default-version = "1"

[distros.azl.versions.1]
release-ver = "1"

[component-groups.web]
components = ["httpd", "nginx"]
`

// newProject writes four local components (httpd and nginx in group web;
// tools with a file overlay whose source lives outside its spec dir) and
// commits them without lock files.
func newProject(t *testing.T) *project {
	p := &project{testutil.NewRepo(t)}
	p.Write("azldev.toml", rootConfig)
	p.Write(".gitignore", "build/\nout/\n")
	for _, name := range []string{"alpha", "httpd", "nginx", "tools"} {
		p.addComponent(name)
	}
	p.Append("comps/tools.comp.toml", `
[[components.tools.overlays]]
type = "file-add"
file = "extra.conf"
source = "../overlays/extra.conf"
`)
	p.Write("overlays/extra.conf", "setting = 1\n")
	return p
}

// addComponent writes a local component whose config lies outside its spec directory.
func (p *project) addComponent(name string) {
	p.Write("comps/"+name+".comp.toml", fmt.Sprintf("[components.%s]\nspec = { type = \"local\", path = \"../src/%[1]s/%[1]s.spec\" }\n", name))
	p.Write("src/"+name+"/"+name+".spec", "Name: "+name+"\nVersion: 1\nRelease: 1\n")
}

// azldev runs the CLI on the project.
func (p *project) azldev(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = cli.Execute(context.Background(), append([]string{"-C", p.Dir}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

// update runs `component update` (default -a) and commits the result.
func (p *project) update(msg string, args ...string) string {
	p.T.Helper()
	if len(args) == 0 {
		args = []string{"-a"}
	}
	if _, stderr, code := p.azldev(append([]string{"-q", "component", "update"}, args...)...); code != 0 {
		p.T.Fatalf("component update %v: exit %d\n%s", args, code, stderr)
	}
	return p.Commit(msg)
}

// changed runs `component changed -O json` and decodes the rows.
func (p *project) changed(from, to string, args ...string) []changed.Row {
	p.T.Helper()
	args = append([]string{"-O", "json", "component", "changed", "--from", from, "--to", to}, args...)
	stdout, stderr, code := p.azldev(args...)
	if code != 0 {
		p.T.Fatalf("component changed: exit %d\n%s", code, stderr)
	}
	var rows []changed.Row
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		p.T.Fatalf("decoding %q: %v", stdout, err)
	}
	return rows
}

// rows builds expected rows: one change type, sourcesChange false.
func rows(t changed.Type, names ...string) []changed.Row {
	out := []changed.Row{}
	for _, n := range names {
		out = append(out, changed.Row{Component: n, ChangeType: t})
	}
	return out
}

// TestChangedAcrossCommits makes one kind of input change per commit, runs
// `component update -a` after it, and checks that `component changed -a`
// reports exactly the components whose inputs changed.
func TestChangedAcrossCommits(t *testing.T) {
	p := newProject(t)
	prev := p.Commit("project without locks")
	prev = checkStep(t, p, prev, "first locks", func() {}, nil, rows(changed.Added, "alpha", "httpd", "nginx", "tools"))
	steps := []struct {
		name   string
		edit   func()
		update []string
		want   []changed.Row
	}{
		{"component config", func() {
			p.Append("comps/alpha.comp.toml", "[components.alpha.build]\ndefines = { with_docs = \"1\" }\n")
		}, nil, rows(changed.Changed, "alpha")},
		{"component group default", func() {
			p.Append("azldev.toml", "\n[component-groups.web.default-component-config.build]\nwith = [\"ssl\"]\n")
		}, nil, rows(changed.Changed, "httpd", "nginx")},
		{"overlay source file", func() {
			p.Write("overlays/extra.conf", "setting = 2\n")
		}, nil, rows(changed.Changed, "tools")},
		{"distro default", func() {
			p.Append("azldev.toml", "\n[distros.azl.versions.1.default-component-config.build]\nwithout = [\"tests\"]\n")
		}, nil, rows(changed.Changed, "alpha", "httpd", "nginx", "tools")},
		{"manual bump", func() {}, []string{"nginx", "--bump"}, rows(changed.Changed, "nginx")},
		{"spec edit", func() {
			p.Append("src/httpd/httpd.spec", "Summary: web server\n")
		}, nil, rows(changed.Changed, "httpd")},
		{"nothing that is an input", func() {
			p.Write("README.md", "notes\n")
		}, nil, rows(changed.Changed)},
		{"component added and removed", func() {
			p.Remove("comps/nginx.comp.toml")
			p.Remove("src/nginx")
			p.Write("azldev.toml", strings.Replace(committedFile(t, p, "azldev.toml"), `["httpd", "nginx"]`, `["httpd"]`, 1))
			p.addComponent("zeta")
		}, nil, []changed.Row{{Component: "nginx", ChangeType: changed.Deleted}, {Component: "zeta", ChangeType: changed.Added}}},
		{"input and rendered sources", func() {
			p.Append("comps/tools.comp.toml", "[components.tools.build]\nwith = [\"extras\"]\n")
			p.Write("specs/t/tools/sources", "SHA512 (tools-1.tar.gz) = 00\n")
		}, nil, []changed.Row{{Component: "tools", ChangeType: changed.Changed, SourcesChange: true}}},
	}
	for _, s := range steps {
		prev = checkStep(t, p, prev, s.name, s.edit, s.update, s.want)
	}
}

// checkStep applies edit, updates and commits the locks, and compares
// `component changed -a --from prev --to <new>` with want. It returns the new commit.
func checkStep(t *testing.T, p *project, prev, name string, edit func(), update []string, want []changed.Row) string {
	t.Helper()
	edit()
	next := p.update(name, update...)
	if got := p.changed(prev, next, "-a"); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %+v\nwant %+v", name, got, want)
	}
	return next
}

// committedFile returns a file as committed at HEAD.
func committedFile(t *testing.T, p *project, name string) string {
	t.Helper()
	return p.Git("show", "HEAD:"+name)
}

// TestChangedSelectionAndFormats covers explicit selections, --include-unchanged,
// the default --to, a configured component losing its lock, and table/CSV output.
func TestChangedSelectionAndFormats(t *testing.T) {
	p := newProject(t)
	base := p.update("locks")
	p.Append("comps/alpha.comp.toml", "[components.alpha.build]\nwith = [\"x\"]\n")
	next := p.update("alpha changes")

	if got, want := p.changed(base, next, "httpd", "-p", "alpha"), append(rows(changed.Changed, "alpha"), rows(changed.Unchanged, "httpd")...); !reflect.DeepEqual(got, want) {
		t.Errorf("explicit selection: got %+v, want %+v", got, want)
	}
	want := append(rows(changed.Changed, "alpha"), rows(changed.Unchanged, "httpd", "nginx", "tools")...)
	if got := p.changed(base, next, "-a", "--include-unchanged"); !reflect.DeepEqual(got, want) {
		t.Errorf("--include-unchanged: got %+v, want %+v", got, want)
	}
	if got := p.changed(base, next, "-g", "web"); !reflect.DeepEqual(got, []changed.Row{}) {
		t.Errorf("-g web (selects spec-pattern members only): got %+v", got)
	}

	stdout, stderr, code := p.azldev("component", "changed", "-a", "--from", base)
	if code != 0 || !strings.Contains(stdout, "SOURCES CHANGE") || !regexpLine(stdout, "alpha", "changed", "false") {
		t.Errorf("table with default --to: exit %d\n%s%s", code, stdout, stderr)
	}

	p.Git("rm", "-q", "locks/tools.lock")
	dropped := p.Commit("drop a lock of a configured component")
	if got := p.changed(next, dropped, "-a"); !reflect.DeepEqual(got, rows(changed.Changed, "tools")) {
		t.Errorf("lock removed, component configured: got %+v", got)
	}
	stdout, _, _ = p.azldev("-O", "csv", "component", "changed", "-a", "--from", next, "--to", dropped)
	if stdout != "Component,Change,Sources Change\ntools,changed,false\n" {
		t.Errorf("csv: %q", stdout)
	}
}

// regexpLine reports whether some line of table output holds the cells in order.
func regexpLine(out string, cells ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		rest, ok := line, true
		for _, c := range cells {
			var found bool
			_, rest, found = strings.Cut(rest, " "+c+" ")
			ok = ok && found
		}
		if ok {
			return true
		}
	}
	return false
}

// TestChangedSourcesDrift fails when a rendered sources file changed while
// the fingerprint did not.
func TestChangedSourcesDrift(t *testing.T) {
	p := newProject(t)
	p.Write("specs/h/httpd/sources", "SHA512 (httpd-1.tar.gz) = 00\n")
	p.Write("specs/a/alpha/sources", "SHA512 (alpha-1.tar.gz) = 00\n")
	base := p.update("locks")
	p.Write("specs/h/httpd/sources", "SHA512 (httpd-1.tar.gz) = 11\n")
	p.Remove("specs/a/alpha/sources")
	drift := p.Commit("rendered sources only")
	for _, sel := range [][]string{{"-a"}, {"httpd", "alpha", "tools"}} {
		args := append([]string{"component", "changed", "--from", base, "--to", drift}, sel...)
		stdout, stderr, code := p.azldev(args...)
		want := "found 2 component(s) with unchanged fingerprint but drifted rendered sources (run 'azldev component render' and commit the result): `alpha`, `httpd`"
		if code != 1 || !strings.Contains(stderr, want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", sel, code, stdout, stderr)
		}
	}
	if got := p.changed(base, drift, "tools"); !reflect.DeepEqual(got, rows(changed.Unchanged, "tools")) {
		t.Errorf("a selection without drifted components: got %+v", got)
	}
}

// TestChangedErrors checks the messages for bad revisions and a project outside git.
func TestChangedErrors(t *testing.T) {
	p := newProject(t)
	head := p.update("locks")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "no-such-rev"}, "unknown revision `no-such-rev`"},
		{[]string{"--from", head, "--to", "v9.9"}, "unknown revision `v9.9`"},
		{nil, `required flag(s) "from" not set`},
	} {
		_, stderr, code := p.azldev(append([]string{"component", "changed", "-a"}, tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want %q in:\n%s", tc.args, code, tc.want, stderr)
		}
	}

	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1") // git refuses the repository
	_, stderr, code := p.azldev("component", "changed", "-a", "--from", "HEAD")
	if code != 1 || !strings.Contains(stderr, "detected dubious ownership") {
		t.Errorf("refused repository: exit %d, want git's own message in:\n%s", code, stderr)
	}
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "")

	p.Remove(".git")
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(p.Dir))
	_, stderr, code = p.azldev("component", "changed", "-a", "--from", "HEAD")
	if code != 1 || !strings.Contains(stderr, "needs the project in a git repository") {
		t.Errorf("outside git: exit %d\n%s", code, stderr)
	}
}
