package fingerprint

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// LocalSourceIdentity identifies the sources of a local component: the
// SHA-256, prefixed "sha256:", of one line `<relative path>=<sha256 hex>\n`
// per regular file anywhere under specDir, sorted by path. Every file counts,
// so editing the spec, a patch, the component's .comp.toml or an unrelated
// file in that directory changes the identity.
//
// Only regular files are hashed: symbolic links (to files or directories) are
// neither followed nor listed, and directories contribute only through the
// files they contain, so an empty directory changes nothing. specDir itself
// may be a symbolic link. Paths use forward slashes.
func LocalSourceIdentity(specDir string) (string, error) {
	root, err := filepath.EvalSymlinks(specDir)
	if err != nil {
		return "", fmt.Errorf("hashing spec directory: %w", err)
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return "", fmt.Errorf("hashing spec directory: %s is not a directory", specDir)
	}
	files, err := regularFiles(root)
	if err != nil {
		return "", fmt.Errorf("hashing spec directory %s: %w", specDir, err)
	}
	h := sha256.New()
	for _, rel := range files {
		digest, err := fileSHA256(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return "", fmt.Errorf("hashing spec directory %s: %w", specDir, err)
		}
		fmt.Fprintf(h, "%s=%s\n", rel, digest)
	}
	return sum(h), nil
}

// regularFiles lists the regular files under root as sorted slash-separated
// relative paths.
func regularFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	// WalkDir's per-directory order differs from a plain sort of the full
	// paths ("a/b" is visited before "a-c"), so sort explicitly.
	sort.Strings(files)
	return files, err
}
