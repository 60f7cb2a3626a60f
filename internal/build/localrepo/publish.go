package localrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/scratch"
)

// Scratch entries (see package scratch) a publication leaves in the
// repository while it runs.
const (
	stageTag    = ".azldev-repodata-" // staged metadata
	replacedTag = ".azldev-replaced-" // a replaced package, until the publication ends
)

// Publish copies rpms into repo and regenerates its metadata with
// createrepo_c (with no rpms, it only creates missing metadata). Publishers
// of one repository, in this process or others, take turns. The metadata is
// written to a staging directory and switched in by renaming repomd.xml
// last, so readers see the old metadata or the new; when anything fails the
// repository is left as it was: added packages are removed, replaced ones
// restored, staged metadata deleted. Killed publications' leftovers are
// swept first.
func Publish(ctx context.Context, repo string, rpms []string) (err error) {
	unlock, err := lock(ctx, repo)
	if err != nil {
		return err
	}
	defer unlock()
	sweep(repo)
	var ch changes
	defer func() {
		if err != nil {
			ch.undo()
		} else {
			ch.commit()
		}
	}()
	for _, rpm := range rpms {
		if err := ch.add(rpm, repo); err != nil {
			return fmt.Errorf("publishing %s to %s: %w", filepath.Base(rpm), repo, err)
		}
	}
	if len(rpms) == 0 {
		if _, err := os.Stat(filepath.Join(repo, repomdPath)); err == nil {
			return nil
		}
	}
	return writeMetadata(ctx, repo)
}

// lock takes an exclusive lock on the repository directory, waiting for
// other publishers until ctx ends.
func lock(ctx context.Context, repo string) (func(), error) {
	f, err := os.Open(repo)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", repo, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, context.Cause(ctx)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// sweep removes what killed publications left in repo (best effort: a
// leftover only costs space, createrepo_c ignores it).
func sweep(repo string) {
	_ = scratch.Sweep(repo, stageTag)
	_ = scratch.Sweep(repo, replacedTag)
	_ = atomicfile.Sweep(repo)
}

// changes records the packages one publication added or replaced.
type changes struct {
	added   []string
	backups map[string]backup // replaced package → its saved copy
}

// backup is a replaced package set aside, held as a scratch entry.
type backup struct {
	path    string
	release func()
}

// add copies rpm into repo, unless an identical file is already there; a
// different file of that name is set aside until the publication ends.
func (c *changes) add(rpm, repo string) error {
	dst := filepath.Join(repo, filepath.Base(rpm))
	if same, err := sameContent(rpm, dst); err != nil || same {
		return err
	}
	if _, err := os.Lstat(dst); err == nil {
		release, err := scratch.Lock(dst)
		if err != nil {
			return err
		}
		b := backup{path: filepath.Join(repo, scratch.Name("."+filepath.Base(rpm), replacedTag)), release: release}
		if err := os.Rename(dst, b.path); err != nil {
			release()
			return err
		}
		if c.backups == nil {
			c.backups = map[string]backup{}
		}
		c.backups[dst] = b
	}
	c.added = append(c.added, dst)
	return copyFile(rpm, dst)
}

// undo removes the added packages and restores the replaced ones.
func (c *changes) undo() {
	for _, p := range c.added {
		os.Remove(p)
	}
	for p, b := range c.backups {
		os.Rename(b.path, p)
		b.release()
	}
}

// commit drops the replaced packages' saved copies.
func (c *changes) commit() {
	for _, b := range c.backups {
		os.Remove(b.path)
		b.release()
	}
}

// writeMetadata runs createrepo_c into a staging directory inside repo
// (reusing the current metadata for unchanged packages) and switches the
// result in.
func writeMetadata(ctx context.Context, repo string) error {
	stage, release, err := scratch.MkdirTemp(repo, "", stageTag)
	if err != nil {
		return err
	}
	defer release()
	defer scratch.RemoveAll(stage)
	args := []string{"--quiet", "--outputdir", stage}
	if _, err := os.Stat(filepath.Join(repo, repomdPath)); err == nil {
		args = append(args, "--update", "--update-md-path", repo)
	}
	if _, err := command.Run(ctx, command.Cmd{Program: "createrepo_c", Args: append(args, repo)}); err != nil {
		return err
	}
	return switchMetadata(filepath.Join(stage, "repodata"), filepath.Join(repo, "repodata"))
}

// switchMetadata moves the metadata files of staged (whose names are unique
// to their content) into repodata, then renames repomd.xml over the old one
// and removes the files only the old one referred to. When it fails before
// the switch, the moved files are removed again.
func switchMetadata(staged, repodata string) (err error) {
	md, err := readRepomd(filepath.Dir(staged))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(repodata, 0o755); err != nil {
		return err
	}
	var moved []string
	defer func() {
		if err != nil {
			for _, p := range moved {
				os.Remove(p)
			}
		}
	}()
	for rel := range md.files() {
		name := filepath.Base(rel)
		if rel == repomdPath || fileExists(filepath.Join(repodata, name)) {
			continue
		}
		if err := os.Rename(filepath.Join(staged, name), filepath.Join(repodata, name)); err != nil {
			return err
		}
		moved = append(moved, filepath.Join(repodata, name))
	}
	if err := os.Rename(filepath.Join(staged, "repomd.xml"), filepath.Join(repodata, "repomd.xml")); err != nil {
		return err
	}
	removeUnlisted(repodata, md.files())
	return nil
}

// removeUnlisted deletes the files of repodata the current metadata does not list.
func removeUnlisted(repodata string, keep map[string]bool) {
	entries, _ := os.ReadDir(repodata)
	for _, e := range entries {
		if !keep[filepath.Join("repodata", e.Name())] {
			os.RemoveAll(filepath.Join(repodata, e.Name()))
		}
	}
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// sameContent reports whether b exists with a's exact bytes.
func sameContent(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) || (err == nil && sa.Size() != sb.Size()) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, erra := io.ReadFull(fa, ba)
		nb, errb := io.ReadFull(fb, bb)
		switch {
		case !bytes.Equal(ba[:na], bb[:nb]):
			return false, nil
		case erra == nil && errb == nil:
			continue
		case isEOF(erra) && isEOF(errb):
			return true, nil
		}
		return false, errors.Join(erra, errb)
	}
}

func isEOF(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }

// copyFile copies src to dst atomically, readable by everyone.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
