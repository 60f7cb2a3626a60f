package docs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func tree() *cobra.Command {
	root := &cobra.Command{Use: "azldev", Short: "root"}
	noun := &cobra.Command{Use: "noun", Short: "a noun"}
	noun.AddCommand(&cobra.Command{Use: "verb ARG", Short: "a verb", Run: func(*cobra.Command, []string) {}},
		&cobra.Command{Use: "secret", Hidden: true, Run: func(*cobra.Command, []string) {}})
	root.AddCommand(noun)
	return root
}

func TestMarkdownPages(t *testing.T) {
	pages, err := MarkdownPages(tree())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n, p := range pages {
		names = append(names, n)
		if strings.Contains(string(p), "Auto generated") {
			t.Errorf("%s has the dated footer", n)
		}
	}
	slices.Sort(names)
	if strings.Join(names, " ") != "azldev.md azldev_noun.md azldev_noun_verb.md" {
		t.Errorf("pages %v", names)
	}
	if !strings.Contains(string(pages["azldev_noun_verb.md"]), "azldev noun verb ARG [flags]") {
		t.Errorf("verb page:\n%s", pages["azldev_noun_verb.md"])
	}
}

func TestSyncPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cli")
	pages := map[string][]byte{"azldev.md": []byte("a\n"), "azldev_x.md": []byte("x\n")}
	if n, err := SyncPages(dir, pages); err != nil || n != 2 {
		t.Fatalf("first sync: %d, %v", n, err)
	}
	os.WriteFile(filepath.Join(dir, "azldev_gone.md"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), nil, 0o644)
	pages["azldev.md"] = []byte("b\n")
	if n, err := SyncPages(dir, pages); err != nil || n != 2 {
		t.Fatalf("second sync: %d, %v", n, err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "README.md azldev.md azldev_x.md" {
		t.Errorf("left %v", names)
	}
}

func TestInstallGuide(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "SKILL.md")
	guide := AgentGuide(tree())
	if !strings.Contains(string(guide), "- `azldev noun verb ARG`: a verb\n") || strings.Contains(string(guide), "secret") {
		t.Errorf("guide:\n%s", guide)
	}
	for i, want := range []string{"created", "unchanged"} {
		if got, err := InstallGuide(path, guide, false); err != nil || got != want {
			t.Errorf("install %d: %q, %v", i, got, err)
		}
	}
	if got, err := InstallGuide(path, append(guide, '\n'), false); err != nil || got != "updated" {
		t.Errorf("update of a generated file: %q, %v", got, err)
	}
	os.WriteFile(path, []byte("mine\n"), 0o644)
	if _, err := InstallGuide(path, guide, false); err == nil {
		t.Error("replaced a file azldev did not write")
	}
	if got, err := InstallGuide(path, guide, true); err != nil || got != "updated" {
		t.Errorf("--force: %q, %v", got, err)
	}
}
