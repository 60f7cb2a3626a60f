// Package fingerprint computes the hashes stored in component lock files:
// the input fingerprint, which changes whenever anything that affects a
// component's prepared sources changes, and the resolution input hash, which
// changes whenever the inputs that select an upstream commit change. Both are
// byte-compatible with the reference implementation.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/azlforge/azldev/internal/config"
)

// Prefix starts every hash this package returns.
const Prefix = "sha256:"

// Errors InputFingerprint wraps; test with errors.Is.
var (
	ErrNoSourceIdentity = errors.New("no source identity")
	ErrMissingHash      = errors.New("source file has no hash")
)

// Inputs are the values the input fingerprint covers.
type Inputs struct {
	// Config is the component's fully resolved configuration. Overlay
	// `source` paths are read from disk, so they should be absolute.
	Config *config.ComponentConfig
	// SourceIdentity is the resolved upstream commit for upstream components
	// and LocalSourceIdentity of the spec directory for local ones.
	SourceIdentity string
	// ManualBump is the lock's manual-bump counter.
	ManualBump int
	// ReleaseVer is the release-ver of the component's source distro (resolve.SourceDistro).
	ReleaseVer string
}

// InputFingerprint returns "sha256:<hex>" over labeled records of the config
// hash, the source identity, the manual bump, the release version and the
// content of every overlay source file.
func InputFingerprint(in Inputs) (string, error) {
	c := in.Config
	if c == nil {
		return "", errors.New("fingerprint: no component configuration")
	}
	if c.Spec.Type != "" && in.SourceIdentity == "" {
		return "", fmt.Errorf("%w for a component with spec type %q", ErrNoSourceIdentity, c.Spec.Type)
	}
	for _, sf := range c.SourceFiles {
		if sf.Hash == "" {
			return "", fmt.Errorf("%w: `%s` (source-files entries need a hash to be fingerprinted)", ErrMissingHash, sf.Filename)
		}
	}
	overlays, err := overlayRecords(c.Overlays)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	writeRecord(h, "config_hash", strconv.FormatUint(ConfigHash(c), 10))
	writeRecord(h, "source_identity", in.SourceIdentity)
	writeRecord(h, "manual_bump", strconv.Itoa(in.ManualBump))
	writeRecord(h, "release_ver", in.ReleaseVer)
	for _, r := range overlays {
		writeRecord(h, r.label, r.value)
	}
	return sum(h), nil
}

// labeled is one record of a hashed input list.
type labeled struct{ label, value string }

// overlayRecords hashes the source file of every overlay that has one. The
// records are ordered by label as strings, so overlay:10 sorts before
// overlay:2, as in the reference.
func overlayRecords(overlays []config.ComponentOverlay) ([]labeled, error) {
	var out []labeled
	for i := range overlays {
		o := &overlays[i]
		if o.Source == "" {
			continue
		}
		sum, err := fileSHA256(o.Source)
		if err != nil {
			return nil, fmt.Errorf("hashing the source of overlay %d: %w", i, err)
		}
		name := o.File
		if name == "" {
			name = filepath.Base(o.Source)
		}
		out = append(out, labeled{label: "overlay:" + strconv.Itoa(i), value: name + ":" + sum})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].label < out[b].label })
	return out, nil
}

// ResolutionInputs are the values that decide which upstream commit a
// component resolves to.
type ResolutionInputs struct {
	Snapshot          string // the resolved upstream-distro snapshot, as written
	DistroName        string
	DistroVersion     string // as written; empty when the distro's default-version applies
	DistGitBranch     string
	DistGitBaseURI    string // the unexpanded $pkg template
	UpstreamCommitPin string // spec.upstream-commit
	UpstreamName      string // spec.upstream-name
}

// ResolutionInputHash returns "sha256:<hex>" over labeled records of in.
func ResolutionInputHash(in ResolutionInputs) string {
	h := sha256.New()
	writeRecord(h, "snapshot", in.Snapshot)
	writeRecord(h, "distro_name", in.DistroName)
	writeRecord(h, "distro_version", in.DistroVersion)
	writeRecord(h, "dist_git_branch", in.DistGitBranch)
	writeRecord(h, "dist_git_base_uri", in.DistGitBaseURI)
	writeRecord(h, "upstream_commit_pin", in.UpstreamCommitPin)
	writeRecord(h, "upstream_name", in.UpstreamName)
	return sum(h)
}

// writeRecord appends `<len>:<label>=<len>:<value>\n`; the byte lengths keep
// any two different record lists from serializing alike.
func writeRecord(w io.Writer, label, value string) {
	fmt.Fprintf(w, "%d:%s=%d:%s\n", len(label), label, len(value), value)
}

func sum(h hash.Hash) string { return Prefix + hex.EncodeToString(h.Sum(nil)) }

// fileSHA256 returns the hex SHA-256 of a file's content.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
