// Package testutil builds fixtures for tests: git repositories with chosen
// history, created with the real git.
package testutil

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Commit is one commit of a fixture repository.
type Commit struct {
	Files   map[string][]byte // the complete tree of the commit
	Message string
	Author  string
	Email   string
	Time    time.Time // author time, and committer time unless CommitterTime is set

	// Optional fields; their zero values keep the behaviour of a plain
	// linear history committed by the author at Time.

	Committer      string    // committer name (default Author)
	CommitterEmail string    // committer email (default Email, or "" when Committer is set)
	CommitterTime  time.Time // committer time (default Time)
	// Parents are the 1-based positions, in the slice given to BareRepo, of
	// the commit's parents, first parent first; each must be an earlier
	// commit. nil means the previous commit (none for the first commit); an
	// empty non-nil slice makes a root commit.
	Parents []int
}

// BareRepo creates a bare repository at path whose branch holds commits in
// order (each commit's tree is exactly its Files) and ends at the last one.
// It runs one git process. Running it again on the same path with a longer
// or different list moves the branch (identical commits get identical ids).
func BareRepo(path, branch string, commits []Commit) error {
	stream, err := fastImportStream(branch, commits)
	if err != nil {
		return err
	}
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
	_, err = command.Run(context.Background(), command.Cmd{
		Program: "git", Args: []string{"--git-dir=" + path, "fast-import", "--quiet", "--force"}, Stdin: bytes.NewReader(stream),
	})
	return err
}

// fastImportStream renders commits in git fast-import format.
func fastImportStream(branch string, commits []Commit) ([]byte, error) {
	var b bytes.Buffer
	for i, c := range commits {
		parents := c.Parents
		if parents == nil && i > 0 {
			parents = []int{i}
		}
		for _, p := range parents {
			if p < 1 || p > i {
				return nil, fmt.Errorf("commit %d: parent %d is not an earlier commit", i+1, p)
			}
		}
		if len(parents) == 0 && i > 0 {
			fmt.Fprintf(&b, "reset refs/heads/%s\n\n", branch) // a new root on the same branch
		}
		author := fmt.Sprintf("%s <%s> %d +0000", c.Author, c.Email, c.Time.Unix())
		name, email, when := c.Author, c.Email, c.Time
		if c.Committer != "" {
			name, email = c.Committer, c.CommitterEmail
		}
		if !c.CommitterTime.IsZero() {
			when = c.CommitterTime
		}
		committer := fmt.Sprintf("%s <%s> %d +0000", name, email, when.Unix())
		fmt.Fprintf(&b, "commit refs/heads/%s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n", branch, i+1, author, committer, len(c.Message), c.Message)
		for j, p := range parents {
			if j == 0 {
				fmt.Fprintf(&b, "from :%d\n", p)
			} else {
				fmt.Fprintf(&b, "merge :%d\n", p)
			}
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
	return b.Bytes(), nil
}
