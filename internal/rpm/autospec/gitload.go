package autospec

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/azlforge/azldev/internal/foundation/git"
)

// logFormat prints, per commit, the fields a history needs; with -z every
// field and record ends in a NUL (commit messages cannot contain one).
const logFormat = "%H%x00%T%x00%P%x00%an%x00%ae%x00%ct%x00%B"

const logFields = 7

// loadHistory reads HEAD's ancestry with one `git log` and finds the spec
// and `changelog` entries of every distinct root tree with one
// `git cat-file --batch-check`.
func loadHistory(ctx context.Context, repo git.Repo, specName string) (history, error) {
	out, err := repo.Run(ctx, "--no-replace-objects", "log", "-z", "--topo-order", "--no-show-signature",
		"--encoding=UTF-8", "--format="+logFormat, "HEAD", "--")
	if err != nil {
		return nil, err
	}
	h, err := parseLog(out)
	if err != nil {
		return nil, err
	}
	return h, lookupEntries(ctx, repo, h, specName)
}

// parseLog turns `git log -z --format=logFormat` output into a history
// with parent and child links.
func parseLog(out []byte) (history, error) {
	fields := bytes.Split(out, []byte{0})
	if len(fields)%logFields != 1 || len(fields[len(fields)-1]) != 0 {
		return nil, fmt.Errorf("git log: unexpected output")
	}
	h := make(history, 0, len(fields)/logFields)
	byID := make(map[string]*commit, cap(h))
	parentIDs := make([][]string, 0, cap(h))
	for i := 0; i+logFields <= len(fields); i += logFields {
		f := fields[i : i+logFields]
		secs, err := strconv.ParseInt(string(f[5]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git log: commit %s: bad committer time %q", f[0], f[5])
		}
		c := &commit{
			id: string(f[0]), tree: string(f[1]),
			author:  decode(f[3]) + " <" + decode(f[4]) + ">",
			time:    time.Unix(secs, 0).UTC(),
			message: decode(f[6]),
		}
		h = append(h, c)
		byID[c.id] = c
		parentIDs = append(parentIDs, strings.Fields(string(f[2])))
	}
	if len(h) == 0 {
		return nil, fmt.Errorf("git log: no commits")
	}
	for i, c := range h {
		for _, id := range parentIDs[i] {
			if p := byID[id]; p != nil { // parents beyond a shallow boundary are not listed
				c.parents = append(c.parents, p)
				p.children = append(p.children, c)
			}
		}
	}
	return h, nil
}

// lookupEntries sets hasSpec, specBlob and changelog on every commit.
func lookupEntries(ctx context.Context, repo git.Repo, h history, specName string) error {
	if strings.ContainsAny(specName, "\n") {
		return fmt.Errorf("spec name %q contains a newline", specName)
	}
	var trees []string
	seen := map[string]bool{}
	for _, c := range h {
		if !seen[c.tree] {
			seen[c.tree] = true
			trees = append(trees, c.tree)
		}
	}
	var in bytes.Buffer
	for _, t := range trees {
		fmt.Fprintf(&in, "%s:%s\n%s:changelog\n", t, specName, t)
	}
	out, err := repo.RunInput(ctx, in.Bytes(), "cat-file", "--batch-check")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2*len(trees) {
		return fmt.Errorf("git cat-file --batch-check: %d answers for %d names", len(lines), 2*len(trees))
	}
	spec, changelog := map[string]object{}, map[string]object{}
	for i, t := range trees {
		if spec[t], err = parseCheck(lines[2*i]); err != nil {
			return err
		}
		if changelog[t], err = parseCheck(lines[2*i+1]); err != nil {
			return err
		}
	}
	for _, c := range h {
		s := spec[c.tree]
		c.hasSpec = s.id != ""
		if s.typ == "blob" {
			c.specBlob = s.id
		}
		c.changelog = changelog[c.tree]
	}
	return nil
}

// parseCheck reads one `cat-file --batch-check` answer: "<id> <type>
// <size>", or "<name> missing" (zero object).
func parseCheck(line string) (object, error) {
	if strings.HasSuffix(line, " missing") {
		return object{}, nil
	}
	f := strings.Fields(line)
	if len(f) != 3 {
		return object{}, fmt.Errorf("git cat-file --batch-check: unexpected answer %q", line)
	}
	return object{id: f[0], typ: f[1]}, nil
}
