package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/report"
)

// Inventory evaluates the sets, without building them, and returns what
// nixpkgs says about each package as JSON: its attribute, the set it comes
// from, its store path, pname and version, where its source comes from
// (URL, or repository and revision), the patches applied to it, its
// licenses and its identifiers (such as a CPE). This is what a
// vulnerability scan matches against advisories.
func (m *Nixlayer) Inventory(
	ctx context.Context,
	// The sets to evaluate, separated by commas, such as "base,python". The
	// sets function lists them.
	sets string,
	// More nixpkgs attributes to evaluate with the sets, such as "htop".
	//
	// +optional
	packages []string,
	// The platform to evaluate for: linux/amd64 or linux/arm64. The
	// default is the engine's own.
	//
	// +optional
	platform dagger.Platform,
) (string, error) {
	t, err := target(ctx, platform)
	if err != nil {
		return "", err
	}
	_, req, err := m.selection(ctx, sets, packages, t.System)
	if err != nil {
		return "", err
	}
	ctr, err := m.workContainer(t, req)
	if err != nil {
		return "", err
	}
	d := container.Driver
	argv := d.Command(d.EvalArgs(flake.PlanInstallable(container.Ref, req.System), flake.FlakeArgs...)...)
	out, err := ctr.WithExec(argv).Stdout(ctx)
	if err != nil {
		if e, ok := errors.AsType[*dagger.ExecError](err); ok {
			return "", &flake.EvalError{Err: nix.NewCommandError("eval", argv, e.ExitCode, e.Stderr)}
		}
		return "", fmt.Errorf("evaluating the plan: %w", err)
	}
	plan, err := flake.DecodePlan([]byte(out), req)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := report.JSON(&b, plan); err != nil {
		return "", err
	}
	return b.String(), nil
}

// workContainer returns the Nix container for t with the work directory
// of req at container.WorkDir, as flake.Prepare lays it out: nixlayer's
// flake (the module's nix directory), request.json and the project's
// overlay directories.
func (m *Nixlayer) workContainer(t container.Target, req flake.Request) (*dagger.Container, error) {
	layout, err := flake.NewLayout(req)
	if err != nil {
		return nil, err
	}
	ctr, err := m.nixContainer(t)
	if err != nil {
		return nil, err
	}
	work := dag.Directory().
		WithDirectory(".", dag.CurrentModule().Source().Directory("nix"), dagger.DirectoryWithDirectoryOpts{Exclude: []string{"*.go"}}).
		WithNewFile(flake.RequestFile, string(layout.RequestJSON))
	for _, o := range layout.Overlays {
		// Leave out dot files, such as .git, as flake.Prepare does.
		work = work.WithDirectory(o.Dst, m.Project.Directory(path.Clean(o.Src)), dagger.DirectoryWithDirectoryOpts{Exclude: []string{".*", "**/.*"}})
	}
	ctr = ctr.WithDirectory(container.WorkDir, work)
	if m.Nixpkgs != nil {
		ctr = ctr.
			WithMountedDirectory(container.NixpkgsDir, m.Nixpkgs).
			WithExec(container.Driver.Command(container.OverrideNixpkgs...))
	}
	return ctr, nil
}
