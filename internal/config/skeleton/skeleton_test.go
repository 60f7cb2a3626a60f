package skeleton

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

func TestNewWritesALoadableProject(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my distro", "x\"y")
	files, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Action != "created" || files[1].Action != "created" {
		t.Fatalf("files %+v", files)
	}
	gi, _ := os.ReadFile(filepath.Join(dir, GitignoreName))
	if string(gi) != "build/\nout/\n" {
		t.Errorf(".gitignore %q", gi)
	}
	cfg, err := config.Load(config.Options{StartDir: dir, NoDefaults: true})
	if err != nil {
		t.Fatal(err)
	}
	root, _ := os.ReadFile(filepath.Join(dir, config.RootFileName))
	if !strings.HasPrefix(string(root), `"$schema" = "`+config.SchemaID+`"`) || cfg.Project.Description != `x"y` {
		t.Errorf("description %q in\n%s", cfg.Project.Description, root)
	}
	if g := cfg.ComponentGroups["default"]; g == nil || len(g.Specs) != 1 || !strings.HasSuffix(g.Specs[0], "**/*.spec") {
		t.Errorf("default group %+v", g)
	}
	if cfg.Project.LockDir != filepath.Join(dir, "locks") || cfg.Project.LogDir != filepath.Join(dir, "build", "logs") {
		t.Errorf("project %+v", cfg.Project)
	}
}

func TestNewRefusesANonEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README"), nil, 0o644)
	if _, err := New(dir); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "project init") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, config.RootFileName)); err == nil {
		t.Error("azldev.toml written")
	}
}

func TestInitKeepsAnExistingProjectAndGitignore(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, GitignoreName), []byte("*.o\n/out/"), 0o600)
	files, err := Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[1].Action != "updated" {
		t.Errorf("files %+v", files)
	}
	gi, _ := os.ReadFile(filepath.Join(dir, GitignoreName))
	if string(gi) != "*.o\n/out/\nbuild/\n" {
		t.Errorf(".gitignore %q", gi)
	}
	before, _ := os.ReadFile(filepath.Join(dir, config.RootFileName))
	if _, err := Init(dir); !errors.Is(err, ErrExists) {
		t.Fatalf("second init: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, config.RootFileName))
	if string(before) != string(after) {
		t.Error("azldev.toml changed")
	}
}

func TestInitNeedsADirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := Init(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("got %v", err)
	}
	if _, err := Init(filepath.Join(file, "missing")); err == nil {
		t.Error("no error for a missing directory")
	}
}
