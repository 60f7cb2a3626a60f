package archtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/azlforge/azldev"

// exempt packages may import anything: end-to-end tests and this checker.
var exempt = []string{"internal/e2e", "internal/archtest"}

func stages(t *testing.T) []Stage {
	t.Helper()
	s, err := ReadStages(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestImportsFollowTheStages fails when any package imports one of a later
// stage, or belongs to no stage of docs/architecture.md.
func TestImportsFollowTheStages(t *testing.T) {
	violations, unstaged, err := Check(filepath.Join("..", ".."), module, stages(t), exempt)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Error(v)
	}
	for _, p := range unstaged {
		t.Errorf("package %s belongs to no stage: add it to the table in docs/architecture.md", p)
	}
}

// TestWrongImportIsCaught plants a config package that imports the CLI and
// an unlisted package, and checks that both are reported.
func TestWrongImportIsCaught(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("internal/config/bad.go", "package config\n\nimport _ \""+module+"/internal/cli/app\"\n")
	write("internal/resolve/ok.go", "package resolve\n\nimport _ \""+module+"/internal/config\"\n")
	write("internal/stray/x.go", "package stray\n")
	violations, unstaged, err := Check(root, module, stages(t), exempt)
	if err != nil {
		t.Fatal(err)
	}
	if len(violations) != 1 || violations[0].From != "internal/config" || violations[0].To != "internal/cli/app" {
		t.Fatalf("violations = %v", violations)
	}
	if !strings.Contains(violations[0].String(), "(later stage cli)") {
		t.Errorf("message: %s", violations[0])
	}
	if len(unstaged) != 1 || unstaged[0] != "internal/stray" {
		t.Errorf("unstaged = %v", unstaged)
	}
}

func TestReadStagesOrder(t *testing.T) {
	s := stages(t)
	var names []string
	for i, st := range s {
		if st.Rank != i+1 || len(st.Prefixes) == 0 {
			t.Errorf("row %d: %+v", i, st)
		}
		names = append(names, st.Name)
	}
	if got := strings.Join(names, " "); got != "foundation config resolve source lock transform produce build cli" {
		t.Errorf("stages: %s", got)
	}
}
