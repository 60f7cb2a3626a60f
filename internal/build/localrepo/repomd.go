package localrepo

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// repomdPath is where a repository's metadata index lives.
const repomdPath = "repodata/repomd.xml"

// repomd is the part of repodata/repomd.xml that locates and checksums the
// metadata files.
type repomd struct {
	XMLName xml.Name   `xml:"repomd"`
	Data    []dataFile `xml:"data"`
}

// dataFile is one metadata file listed by repomd.xml.
type dataFile struct {
	Type     string `xml:"type,attr"`
	Checksum struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"checksum"`
	Location struct {
		Href string `xml:"href,attr"`
	} `xml:"location"`
}

// errCorrupt marks metadata that does not match what repomd.xml says.
var errCorrupt = errors.New("corrupted repository metadata")

// readRepomd parses dir's repomd.xml.
func readRepomd(dir string) (*repomd, error) {
	data, err := os.ReadFile(filepath.Join(dir, repomdPath))
	if err != nil {
		return nil, err
	}
	var md repomd
	if err := xml.Unmarshal(data, &md); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errCorrupt, repomdPath, err)
	}
	return &md, nil
}

// verify checks that dir's metadata lists a primary file and that every
// listed file exists inside dir with the stated checksum.
func (md *repomd) verify(dir string) error {
	primary := false
	for _, d := range md.Data {
		primary = primary || d.Type == "primary"
		if err := d.verify(dir); err != nil {
			return err
		}
	}
	if !primary {
		return fmt.Errorf("%w: %s lists no primary metadata", errCorrupt, repomdPath)
	}
	return nil
}

func (d dataFile) verify(dir string) error {
	href := d.Location.Href
	if err := safepath.ValidateRelative(href); err != nil {
		return fmt.Errorf("%w: %s: %s location: %v", errCorrupt, repomdPath, d.Type, err)
	}
	h, err := newHash(d.Checksum.Type)
	if err != nil {
		return fmt.Errorf("%w: %s: %s: %v", errCorrupt, repomdPath, d.Type, err)
	}
	f, err := os.Open(filepath.Join(dir, href))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errCorrupt, href, errors.Unwrap(err))
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("%s: %w", href, err)
	}
	want := strings.TrimSpace(d.Checksum.Value)
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, want) {
		return fmt.Errorf("%w: %s: %s checksum %s, repomd.xml says %s", errCorrupt, href, d.Checksum.Type, got, want)
	}
	return nil
}

// newHash returns the hash of a repomd checksum type.
func newHash(kind string) (hash.Hash, error) {
	switch kind {
	case "sha256":
		return sha256.New(), nil
	case "sha512":
		return sha512.New(), nil
	case "sha384":
		return sha512.New384(), nil
	case "sha224":
		return sha256.New224(), nil
	case "sha", "sha1":
		return sha1.New(), nil
	case "md5":
		return md5.New(), nil
	}
	return nil, fmt.Errorf("unknown checksum type %q", kind)
}

// PrimaryPath returns the path of the primary metadata file of the
// repository dir (its package list, compressed as createrepo_c chose).
func PrimaryPath(dir string) (string, error) {
	md, err := readRepomd(dir)
	if err != nil {
		return "", err
	}
	for _, d := range md.Data {
		if d.Type != "primary" {
			continue
		}
		if err := safepath.ValidateRelative(d.Location.Href); err != nil {
			return "", fmt.Errorf("%w: %s: primary location: %v", errCorrupt, repomdPath, err)
		}
		return filepath.Join(dir, d.Location.Href), nil
	}
	return "", fmt.Errorf("%w: %s lists no primary metadata", errCorrupt, repomdPath)
}

// files lists the metadata files repomd.xml refers to, relative to the repository.
func (md *repomd) files() map[string]bool {
	files := map[string]bool{repomdPath: true}
	for _, d := range md.Data {
		files[filepath.Clean(d.Location.Href)] = true
	}
	return files
}
