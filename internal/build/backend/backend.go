// Package backend builds one component's packages from its prepared
// sources — the SRPM, then the binary RPMs — behind one interface: rpmbuild
// on the host, or mock in a chroot (a koji backend can implement it too).
package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Backend builds packages from prepared sources.
type Backend interface {
	// Name is the backend's name as --backend spells it.
	Name() string
	// SRPM builds the source package of req's spec and returns its path.
	SRPM(ctx context.Context, req Request) (string, error)
	// RPMs rebuilds srpm into binary packages and returns their paths.
	RPMs(ctx context.Context, req Request, srpm string) ([]string, error)
}

// Request is one component's build.
type Request struct {
	Component string
	// SourcesDir holds the prepared sources: <Component>.spec and its files.
	SourcesDir string
	// WorkDir is a private, empty directory for the backend's files; its
	// path is the same for every build of the component (paths end up in
	// SRPMs) and it is kept or removed by the caller.
	WorkDir    string
	NoCheck    bool      // skip %check
	LocalRepos []string  // repositories whose packages may satisfy BuildRequires
	Log        io.Writer // receives the programs' command lines and output
}

// Spec is the path of the request's spec.
func (r Request) Spec() string { return filepath.Join(r.SourcesDir, r.Component+".spec") }

// Backend names, as --backend spells them.
const (
	RPMBuildName = "rpmbuild"
	MockName     = "mock"
)

// Settings choose and configure a backend.
type Settings struct {
	Name           string   // RPMBuildName, MockName, or "" to choose (see New)
	MockConfig     string   // the project's mock configuration file; "" when it has none
	MockConfigOpts []string // KEY=VALUE mock configuration overrides
	Preserve       Preserve
	Verbose        bool
}

// New returns the backend s names. With no name it is mock when mock is
// installed and the project has a mock configuration, else rpmbuild; the
// note then says why (for the log).
func New(s Settings) (b Backend, note string, err error) {
	switch s.Name {
	case RPMBuildName:
		return host("")
	case MockName:
		if err := command.LookPath("mock"); err != nil {
			return nil, "", fmt.Errorf("%w; or build on the host with --backend %s", err, RPMBuildName)
		}
		if s.MockConfig == "" {
			return nil, "", fmt.Errorf("the mock backend needs a mock configuration: set mock-config for the project's default distro version, or build on the host with --backend %s", RPMBuildName)
		}
		return s.mock()
	case "":
		if s.MockConfig == "" {
			return host("the project has no mock configuration: building on the host with the rpmbuild backend")
		}
		if command.LookPath("mock") != nil {
			return host("mock is not installed: building on the host with the rpmbuild backend")
		}
		return s.mock()
	}
	return nil, "", fmt.Errorf("unknown build backend %q (want %s or %s)", s.Name, RPMBuildName, MockName)
}

// host returns the rpmbuild backend when rpmbuild is installed.
func host(note string) (Backend, string, error) {
	if err := command.LookPath("rpmbuild"); err != nil {
		return nil, "", err
	}
	return RPMBuild{}, note, nil
}

// mock returns the mock backend when its configuration file exists.
func (s Settings) mock() (Backend, string, error) {
	if _, err := os.Stat(s.MockConfig); err != nil {
		return nil, "", fmt.Errorf("mock configuration %s (mock-config of the project's default distro version): %w", s.MockConfig, errors.Unwrap(err))
	}
	return Mock{Config: s.MockConfig, ConfigOpts: s.MockConfigOpts, Preserve: s.Preserve, Verbose: s.Verbose}, "", nil
}

// Preserve says when a build environment (work directory, mock chroot) is kept.
type Preserve string

// Preserve values, as --preserve-buildenv spells them.
const (
	PreserveOnFailure Preserve = "on-failure"
	PreserveAlways    Preserve = "always"
	PreserveNever     Preserve = "never"
)

// ParsePreserve validates a --preserve-buildenv value.
func ParsePreserve(s string) (Preserve, error) {
	switch p := Preserve(s); p {
	case PreserveOnFailure, PreserveAlways, PreserveNever:
		return p, nil
	}
	return "", fmt.Errorf("invalid --preserve-buildenv %q (want on-failure, always or never)", s)
}

// Keep reports whether the environment of a build that failed, or not, is kept.
func (p Preserve) Keep(failed bool) bool {
	return p == PreserveAlways || (failed && p != PreserveNever)
}

// reproducible are the macros every backend builds with so that building
// the same sources twice gives byte-identical packages: SOURCE_DATE_EPOCH
// is the date of the spec's newest %changelog entry, it becomes the build
// time, file times later than it are clamped to it (rpm ≥ 4.14), and the
// build host name is fixed.
var reproducible = []macro{
	{"source_date_epoch_from_changelog", "1"},
	{"use_source_date_epoch_as_buildtime", "1"},
	{"clamp_mtime_to_source_date_epoch", "1"},
	{"_buildhost", "reproducible"},
}

// macro is an rpm macro definition.
type macro struct{ name, value string }

// defineArgs spells macros as --define arguments.
func defineArgs(macros ...macro) []string {
	args := make([]string, 0, 2*len(macros))
	for _, m := range macros {
		args = append(args, "--define", m.name+" "+m.value)
	}
	return args
}

// run runs a program with its output going to log, after its command line.
func run(ctx context.Context, log io.Writer, c command.Cmd) error {
	fmt.Fprintf(log, "+ %s\n", command.Line(c.Program, c.Args))
	c.Stdout, c.Stderr = log, log
	_, err := command.Run(ctx, c)
	return err
}

// findPackages lists the packages below dir: source packages, or binary ones.
func findPackages(dir string, source bool) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rpm") {
			return err
		}
		if strings.HasSuffix(path, ".src.rpm") == source {
			found = append(found, path)
		}
		return nil
	})
	return found, err
}

// oneSRPM returns the single source package below dir.
func oneSRPM(dir string) (string, error) {
	found, err := findPackages(dir, true)
	if err != nil {
		return "", err
	}
	if len(found) != 1 {
		return "", fmt.Errorf("expected one source package in %s, found %d", dir, len(found))
	}
	return found[0], nil
}

// errNoPackages reports a binary build that produced nothing.
var errNoPackages = errors.New("the build produced no binary packages")
