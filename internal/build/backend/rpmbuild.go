package backend

import (
	"context"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// RPMBuild builds on the host with rpmbuild, in a private _topdir inside the
// request's work directory: `rpmbuild -bs` from the prepared sources, then
// `rpmbuild --rebuild` of the SRPM. Build dependencies come from the host's
// rpm database only; the BuildRequires it lacks are reported before the
// binary build (see BuildRequiresError).
type RPMBuild struct{}

// Name implements Backend.
func (RPMBuild) Name() string { return RPMBuildName }

// SRPM implements Backend.
func (RPMBuild) SRPM(ctx context.Context, req Request) (string, error) {
	if err := makeTopdir(req); err != nil {
		return "", err
	}
	out := filepath.Join(req.WorkDir, "srpm")
	if err := run(ctx, req.Log, command.Cmd{Program: "rpmbuild", Args: srpmArgs(req, out)}); err != nil {
		return "", err
	}
	return oneSRPM(out)
}

// RPMs implements Backend.
func (RPMBuild) RPMs(ctx context.Context, req Request, srpm string) ([]string, error) {
	if err := checkBuildRequires(ctx, req); err != nil {
		return nil, err
	}
	if err := makeTopdir(req); err != nil {
		return nil, err
	}
	out := filepath.Join(req.WorkDir, "rpms")
	if err := run(ctx, req.Log, command.Cmd{Program: "rpmbuild", Args: rebuildArgs(req, srpm, out)}); err != nil {
		return nil, err
	}
	rpms, err := findPackages(out, false)
	if err == nil && len(rpms) == 0 {
		err = errNoPackages
	}
	return rpms, err
}

// srpmArgs builds the source package of req into out.
func srpmArgs(req Request, out string) []string {
	args := append([]string{"-bs"}, defineArgs(topMacros(req)...)...)
	args = append(args, defineArgs(reproducible...)...)
	args = append(args, defineArgs(macro{"_sourcedir", req.SourcesDir}, macro{"_specdir", req.SourcesDir}, macro{"_srcrpmdir", out})...)
	return append(args, req.Spec())
}

// rebuildArgs rebuilds srpm into binary packages below out.
func rebuildArgs(req Request, srpm, out string) []string {
	args := append([]string{"--rebuild"}, defineArgs(topMacros(req)...)...)
	args = append(args, defineArgs(reproducible...)...)
	args = append(args, defineArgs(macro{"_rpmdir", out})...)
	if req.NoCheck {
		args = append(args, "--nocheck")
	}
	return append(args, srpm)
}

// topMacros point rpmbuild at req's private tree. Its path is fixed by the
// work directory: the SRPM records the expanded spec, build root and source
// paths included.
func topMacros(req Request) []macro {
	top := filepath.Join(req.WorkDir, "rpmbuild")
	return []macro{{"_topdir", top}, {"_tmppath", filepath.Join(top, "tmp")}}
}

// makeTopdir creates req's private rpmbuild tree.
func makeTopdir(req Request) error {
	return os.MkdirAll(filepath.Join(req.WorkDir, "rpmbuild", "tmp"), 0o755)
}
