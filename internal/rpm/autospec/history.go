package autospec

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// verflags are the rpm facts of one spec as rpmautospec uses them.
type verflags struct {
	known        bool   // the spec parsed
	epochVersion string // "[epoch:]version"
	prerelease   bool   // %autorelease -p
	base         int    // %autorelease -b, else 1
	tags         string // ".extraver" and ".snapinfo" from -e and -s
}

// unknownFlags stand for a missing or unparseable spec.
var unknownFlags = verflags{base: 1}

// parseFacts interprets rpm's answer: the Release expanded with
// %autorelease defined as `E<-e>_S<-s>_P<0|1>_B<-b>` carries the flags;
// any other Release (static, or %autorelease with extra text) has none.
func parseFacts(f Facts) verflags {
	v := verflags{known: true, epochVersion: f.EpochVersion, base: 1}
	extraver, snapinfo, pre, base, ok := splitFlags(f.Release)
	if !ok {
		return v
	}
	v.prerelease = pre
	if base != "" {
		v.base, _ = leadingNumber(base)
	}
	for _, t := range []string{extraver, snapinfo} {
		if t != "" {
			v.tags += "." + t
		}
	}
	return v
}

// splitFlags matches `^E([^_]*)_S([^_]*)_P([01])_B(\d*)$`.
func splitFlags(rel string) (extraver, snapinfo string, pre bool, base string, ok bool) {
	parts := strings.Split(rel, "_")
	if len(parts) != 4 || parts[2] != "P0" && parts[2] != "P1" {
		return "", "", false, "", false
	}
	extraver, okE := strings.CutPrefix(parts[0], "E")
	snapinfo, okS := strings.CutPrefix(parts[1], "S")
	base, okB := strings.CutPrefix(parts[3], "B")
	if !okE || !okS || !okB || !allDigits(base) {
		return "", "", false, "", false
	}
	return extraver, snapinfo, parts[2] == "P1", base, true
}

// allDigits reports whether every rune of s is a decimal digit.
func allDigits(s string) bool {
	for _, r := range s {
		if _, ok := digitValue(r); !ok {
			return false
		}
	}
	return true
}

// complete is the release rpmautospec prints for number n: "0." for
// pre-releases, n+base-1, then the tags.
func (v verflags) complete(n int) string {
	s := strconv.Itoa(n+v.base-1) + v.tags
	if v.prerelease {
		s = "0." + s
	}
	return s
}

// commit is what the computation needs of one commit.
type commit struct {
	id, tree  string
	parents   []*commit
	children  []*commit
	author    string    // "name <email>" as stored
	time      time.Time // committer time
	message   string
	hasSpec   bool   // the root tree has <name>.spec
	specBlob  string // its blob id, "" when it is not a file
	changelog object // the top-level `changelog` entry, zero when absent

	flags   verflags
	number  int    // release number
	release string // complete release
	removed bool   // a newer commit deleted the changelog file (handed down)
}

// object is a tree entry: id and type.
type object struct{ id, typ string }

// evr is the entry header's "epoch:version-release", "" when the spec was
// not understood.
func (c *commit) evr() string {
	if c.flags.epochVersion == "" {
		return ""
	}
	return c.flags.epochVersion + "-" + c.release
}

// history is HEAD's ancestry, children before parents, HEAD first.
type history []*commit

// number computes every commit's release number, oldest first: the
// largest number among the parents whose epoch-version is the same (or
// unknown on either side), plus one when the commit has the spec, raised
// to a `[bump release: N]`.
func (h history) number() {
	for i := len(h) - 1; i >= 0; i-- {
		c := h[i]
		n := 0
		for _, p := range c.parents {
			if !c.flags.known || !p.flags.known || c.flags.epochVersion == p.flags.epochVersion {
				n = max(n, p.number)
			}
		}
		if c.hasSpec {
			n++
		}
		c.number = max(n, parseMagic(c.message).bumpRelease)
		c.release = c.flags.complete(c.number)
	}
}

// changelogChanged reports whether c's changelog file differs from every
// parent's (for a root commit: whether it exists).
func (c *commit) changelogChanged() bool {
	if len(c.parents) == 0 {
		return c.changelog.id != ""
	}
	for _, p := range c.parents {
		if p.changelog == c.changelog {
			return false
		}
	}
	return true
}

// addsChangelog reports whether c's changelog file is new or changed.
func (c *commit) addsChangelog() bool { return c.changelog.id != "" && c.changelogChanged() }

// markRemoved hands "the changelog file was deleted later" down from HEAD
// (seed) to the commit that last added or changed the file; a commit with
// several children gets it only when all of them pass it on.
func (h history) markRemoved(seed bool) {
	passOn := make(map[*commit]bool, len(h))
	for i, c := range h {
		c.removed = seed
		if i > 0 {
			c.removed = true
			for _, ch := range c.children {
				c.removed = c.removed && passOn[ch]
			}
		}
		deletes := false
		for _, p := range c.parents {
			deletes = deletes || c.changelog.id == "" && p.changelog.id != ""
		}
		passOn[c] = !c.addsChangelog() && (c.removed || deletes)
	}
}

// errMergeWithoutChangelog is rpmautospec's crash on a merge that matches
// no parent's tree and deletes the changelog file.
var errMergeWithoutChangelog = errors.New("merge commit matches no parent's tree and removes the changelog file")

// changelogFrom collects the entries from c towards the root, newest
// first. read returns a blob's content, for a verbatim `changelog` file.
func changelogFrom(c *commit, read func(object) ([]byte, error)) ([]string, error) {
	var out []string
	for c != nil {
		switch {
		case len(c.parents) > 1 && c.treeTwin() == nil && !c.changelogChanged():
			return append(out, formatEntry(c.time, c.author, c.evr(), []string{unresolvableMerge})), nil
		case c.addsChangelog():
			if c.removed {
				return out, nil
			}
			data, err := read(c.changelog)
			if err != nil {
				return nil, err
			}
			return append(out, decode(data)), nil
		}
		next, own, err := c.follow()
		if err != nil {
			return nil, err
		}
		if own {
			out = append(out, formatEntry(c.time, c.author, c.evr(), changelogItems(c.message)))
		}
		c = next
	}
	return out, nil
}

// follow returns the commit whose entries come after c's and whether c
// has an entry of its own: a merge follows its first parent with the same
// tree and has none; other commits have one unless skipped or without the
// spec.
func (c *commit) follow() (next *commit, own bool, err error) {
	own = c.hasSpec && !parseMagic(c.message).skipChangelog
	switch len(c.parents) {
	case 0:
		return nil, own, nil
	case 1:
		return c.parents[0], own, nil
	}
	if twin := c.treeTwin(); twin != nil {
		return twin, false, nil
	}
	return nil, false, errMergeWithoutChangelog
}

// treeTwin returns the first parent with the same tree, or nil.
func (c *commit) treeTwin() *commit {
	for _, p := range c.parents {
		if p.tree == c.tree {
			return p
		}
	}
	return nil
}
