// Package testutil builds fixtures for tests: git repositories with chosen
// history, created with the real git.
package testutil

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"
)

// Commit is one commit of a fixture repository.
type Commit struct {
	Files   map[string][]byte // the complete tree of the commit
	Message string
	Author  string
	Email   string
	Time    time.Time // author and committer time
}

// BareRepo creates a bare repository at path whose branch holds commits in
// order (each commit's tree is exactly its Files). It runs one git process.
func BareRepo(path, branch string, commits []Commit) error {
	for _, d := range []string{"objects/info", "objects/pack", "refs/heads", "refs/tags"} {
		if err := os.MkdirAll(filepath.Join(path, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(path, "HEAD"), []byte("ref: refs/heads/"+branch+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(path, "config"), []byte("[core]\n\trepositoryformatversion = 0\n\tbare = true\n"), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("git", "--git-dir="+path, "fast-import", "--quiet")
	cmd.Stdin = bytes.NewReader(fastImportStream(branch, commits))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git fast-import: %v: %s", err, out)
	}
	return nil
}

// fastImportStream renders commits in git fast-import format.
func fastImportStream(branch string, commits []Commit) []byte {
	var b bytes.Buffer
	for i, c := range commits {
		who := fmt.Sprintf("%s <%s> %d +0000", c.Author, c.Email, c.Time.Unix())
		fmt.Fprintf(&b, "commit refs/heads/%s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n", branch, i+1, who, who, len(c.Message), c.Message)
		if i > 0 {
			fmt.Fprintf(&b, "from :%d\n", i)
		}
		b.WriteString("deleteall\n")
		names := make([]string, 0, len(c.Files))
		for n := range c.Files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&b, "M 100644 inline %s\ndata %d\n", n, len(c.Files[n]))
			b.Write(c.Files[n])
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
