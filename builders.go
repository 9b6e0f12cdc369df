package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/report"
	nixsets "github.com/nixlayer/nixlayer/internal/sets"
)

// nixImage is the official Nix image that the module runs Nix in. The
// digest was found pinned in a public Dockerfile; it has not been checked
// against the registry.
const nixImage = "docker.io/nixos/nix:2.28.5@sha256:e2bff159b88c242722022a273d3832a4392f01dba35b796204d852b89042526e"

// Closure builds the sets and reports their closure: every store path that
// an image of them holds, with its size, then the number of paths and their
// total size. The JSON report also lists each package with its version,
// source and patches.
func (m *Nixlayer) Closure(
	ctx context.Context,
	// The sets to build, separated by commas, such as "base,python". The
	// sets function lists them.
	sets string,
	// More nixpkgs attributes to build with the sets, such as "htop" or
	// "python312Packages.requests".
	//
	// +optional
	packages []string,
	// Print the report as JSON.
	//
	// +optional
	asJSON bool,
) (string, error) {
	sel, ctr, plan, err := m.evaluate(ctx, sets, packages)
	if err != nil {
		return "", err
	}
	closure, err := m.build(ctx, ctr, plan)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	// asJSON is not called json, as the CLI's flag is: the engine's
	// generated code declares a variable named after each argument, and
	// one called json would hide the encoding/json package it calls.
	if asJSON {
		err = report.JSON(&b, report.NewClosureDoc(sel, plan, closure))
	} else {
		err = report.Closure(&b, closure)
	}
	return b.String(), err
}

// evaluate composes spec and packages with the project, and evaluates
// their plan in a Nix container, which it returns for the build.
func (m *Nixlayer) evaluate(ctx context.Context, spec string, packages []string) (nixsets.Selection, *dagger.Container, *flake.Plan, error) {
	sel, req, err := m.selection(ctx, spec, packages)
	if err != nil {
		return nixsets.Selection{}, nil, nil, err
	}
	ctr, err := m.nixContainer(req)
	if err != nil {
		return nixsets.Selection{}, nil, nil, err
	}
	plan, err := m.plan(ctx, ctr, req)
	if err != nil {
		return nixsets.Selection{}, nil, nil, err
	}
	return sel, ctr, plan, nil
}

// nixContainer returns a Nix container with the work directory for req at
// container.WorkDir: the flake, request.json and the project's overlay
// directories, as flake.Prepare lays them out. /nix is a cache volume,
// seeded with the image's own /nix, so that one call finds what an earlier
// one built.
func (m *Nixlayer) nixContainer(req flake.Request) (*dagger.Container, error) {
	layout, err := flake.NewLayout(req)
	if err != nil {
		return nil, err
	}
	platform, err := container.Platform(m.System)
	if err != nil {
		return nil, err
	}
	work := m.Flake.WithNewFile(flake.RequestFile, string(layout.RequestJSON))
	for _, o := range layout.Overlays {
		// Leave out dot files, such as .git, as flake.Prepare does.
		work = work.WithDirectory(o.Dst, m.Project.Directory(o.Src), dagger.DirectoryWithDirectoryOpts{Exclude: []string{".*", "**/.*"}})
	}
	image := dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(platform)}).From(nixImage)
	ctr := image.
		WithMountedCache("/nix", dag.CacheVolume(container.CacheKey(nixImage, m.System)), dagger.ContainerWithMountedCacheOpts{
			Source:  image.Directory("/nix"),
			Sharing: dagger.CacheSharingModeLocked,
		}).
		// Plain messages from Nix, for one-line errors.
		WithEnvVariable("NO_COLOR", "1").
		WithDirectory(container.WorkDir, work)
	if m.Nixpkgs != nil {
		ctr = ctr.
			WithMountedDirectory(container.NixpkgsDir, m.Nixpkgs).
			WithExec(container.Driver.Command(container.OverrideNixpkgs...))
	}
	return ctr, nil
}

// plan evaluates the plan of req in ctr. A failed evaluation is a
// *flake.EvalError that ends with the summary of Nix's message.
func (m *Nixlayer) plan(ctx context.Context, ctr *dagger.Container, req flake.Request) (*flake.Plan, error) {
	d := container.Driver
	_, out, err := run(ctx, ctr, "eval", d.Command(d.EvalArgs(flake.PlanInstallable(container.Ref, req.System), flake.FlakeArgs...)...))
	if err != nil {
		if _, ok := errors.AsType[*nix.CommandError](err); ok {
			return nil, &flake.EvalError{Err: err}
		}
		return nil, fmt.Errorf("evaluating the plan: %w", err)
	}
	return flake.DecodePlan(out, req)
}

// build builds every planned package in ctr and returns the closure of
// what it built.
func (m *Nixlayer) build(ctx context.Context, ctr *dagger.Container, plan *flake.Plan) (*nix.Closure, error) {
	d := container.Driver
	argv := d.Command(d.BuildArgs(flake.BuildInstallables(container.Ref, plan), slices.Concat(flake.FlakeArgs, container.BuildArgs)...)...)
	built, out, err := run(ctx, ctr, "build", argv)
	if err != nil {
		return nil, fmt.Errorf("building %d packages: %w", len(plan.Packages), err)
	}
	results, err := nix.DecodeBuild(out)
	if err != nil {
		return nil, err
	}
	roots, err := flake.BuiltRoots(plan, results)
	if err != nil {
		return nil, err
	}
	// Run in the container after the build, whose outputs are in /nix.
	_, out, err = run(ctx, built, "path-info", d.Command(nix.PathInfoArgs(roots...)...))
	if err != nil {
		return nil, fmt.Errorf("reading the closure: %w", err)
	}
	infos, err := nix.DecodePathInfo(out)
	if err != nil {
		return nil, fmt.Errorf("reading the closure: %w", err)
	}
	closure, err := nix.NewClosure(infos)
	if err != nil {
		return nil, fmt.Errorf("reading the closure: %w", err)
	}
	return closure, nil
}

// run runs a nix command line in ctr, and returns the container after it
// and the command's standard output. A command that fails is a
// *nix.CommandError; command names it, such as "eval".
func run(ctx context.Context, ctr *dagger.Container, command string, argv []string) (*dagger.Container, []byte, error) {
	ctr = ctr.WithExec(argv)
	out, err := ctr.Stdout(ctx)
	if err != nil {
		if e, ok := errors.AsType[*dagger.ExecError](err); ok {
			return nil, nil, nix.NewCommandError(command, argv, e.ExitCode, e.Stderr)
		}
		return nil, nil, fmt.Errorf("running nix %s: %w", command, err)
	}
	return ctr, []byte(out), nil
}
