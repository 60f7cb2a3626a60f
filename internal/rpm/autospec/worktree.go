package autospec

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/git"
)

// treeEntry is one file of `git ls-tree -r`.
type treeEntry struct{ mode, id, path string }

// isDirty reports whether the work tree differs from HEAD's tree in a
// tracked file: changed content, executable bit or type, or a deleted
// file. Untracked files do not count and the index is not consulted (a
// tree-to-workdir diff). It runs `git ls-tree` and, unless an earlier
// difference settles it, one `git hash-object --stdin-paths` (which applies
// the repository's content filters as a diff would).
func isDirty(ctx context.Context, repo git.Repo) (bool, error) {
	out, err := repo.Run(ctx, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
	if err != nil {
		return false, err
	}
	var regular []treeEntry
	for _, rec := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		e, err := parseTreeEntry(rec)
		if err != nil {
			return false, err
		}
		changed, hash, err := compareEntry(repo.Dir, e)
		if err != nil || changed {
			return changed, err
		}
		if hash {
			regular = append(regular, e)
		}
	}
	return contentChanged(ctx, repo, regular)
}

// parseTreeEntry reads "<mode> <type> <id>\t<path>".
func parseTreeEntry(rec string) (treeEntry, error) {
	meta, path, ok := strings.Cut(rec, "\t")
	f := strings.Fields(meta)
	if !ok || len(f) != 3 {
		return treeEntry{}, fmt.Errorf("git ls-tree: unexpected entry %q", rec)
	}
	return treeEntry{mode: f[0], id: f[2], path: path}, nil
}

// compareEntry checks what can be checked without hashing file content:
// presence, type, executable bit and symbolic link targets. hash is set for
// regular files whose content remains to be compared.
func compareEntry(dir string, e treeEntry) (changed, hash bool, err error) {
	if e.mode == "160000" { // submodule: not followed
		return false, false, nil
	}
	p := filepath.Join(dir, filepath.FromSlash(e.path))
	fi, err := os.Lstat(p)
	if err != nil { // missing, or a parent is no longer a directory
		return true, false, nil
	}
	switch e.mode {
	case "120000":
		if fi.Mode()&fs.ModeSymlink == 0 {
			return true, false, nil
		}
		target, err := os.Readlink(p)
		return err != nil || blobID([]byte(target), len(e.id)) != e.id, false, nil
	case "100755", "100644":
		if strings.Contains(e.path, "\n") { // cannot go through --stdin-paths: assume changed
			return true, false, nil
		}
		exec := fi.Mode()&0o100 != 0
		return !fi.Mode().IsRegular() || exec != (e.mode == "100755"), true, nil
	}
	return true, false, nil
}

// blobID hashes data as a git blob, SHA-1 or SHA-256 by the id length.
func blobID(data []byte, idLen int) string {
	header := fmt.Appendf(nil, "blob %d\x00", len(data))
	if idLen == 2*sha256.Size {
		sum := sha256.Sum256(append(header, data...))
		return hex.EncodeToString(sum[:])
	}
	sum := sha1.Sum(append(header, data...))
	return hex.EncodeToString(sum[:])
}

// contentChanged hashes the work-tree files with one git process and
// compares them with the tree's blob ids.
func contentChanged(ctx context.Context, repo git.Repo, files []treeEntry) (bool, error) {
	if len(files) == 0 {
		return false, nil
	}
	var in bytes.Buffer
	for _, e := range files {
		in.WriteString(e.path)
		in.WriteByte('\n')
	}
	out, err := repo.RunInput(ctx, in.Bytes(), "hash-object", "--stdin-paths")
	if err != nil {
		return false, err
	}
	ids := strings.Fields(string(out))
	if len(ids) != len(files) {
		return false, fmt.Errorf("git hash-object: %d ids for %d files", len(ids), len(files))
	}
	for i, e := range files {
		if ids[i] != e.id {
			return true, nil
		}
	}
	return false, nil
}

// gitUser returns "user.name <user.email>" from the repository's
// configuration, or the placeholder rpmautospec uses when either is unset
// or empty.
func gitUser(ctx context.Context, repo git.Repo) (string, error) {
	out, err := repo.Run(ctx, "config", "-z", "--get-regexp", `^user\.(name|email)$`)
	var ce *command.Error
	if errors.As(err, &ce) && ce.ExitCode == 1 { // nothing set
		return unknownUser, nil
	}
	if err != nil {
		return "", err
	}
	values := map[string]string{}
	for _, rec := range strings.Split(string(out), "\x00") {
		if key, value, ok := strings.Cut(rec, "\n"); ok {
			values[key] = strings.Trim(value, " \t\n\v\f\r") // last one wins
		}
	}
	name, email := values["user.name"], values["user.email"]
	if name == "" || email == "" {
		return unknownUser, nil
	}
	return name + " <" + email + ">", nil
}
