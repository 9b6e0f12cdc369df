package main

import (
	"context"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
)

// Kind is a kind of image that nixlayer builds.
type Kind string

const (
	// A development container, to work in with VS Code or another
	// devcontainer tool. Its default sets are
	// base,vscodeCompat,devTools,nixTools.
	KindDevcontainer Kind = "devcontainer"
	// An image to run an application in. Its default set is base.
	KindRuntime Kind = "runtime"
)

// Devcontainer builds a development container image from package sets,
// for the engine's platform or another. The project's packages and
// overlays apply, as to every build.
func (m *Nixlayer) Devcontainer(
	ctx context.Context,
	// The sets to install, separated by commas, in any order. The sets
	// function lists them.
	//
	// +default="base,vscodeCompat,devTools,nixTools"
	sets string,
	// More nixpkgs attributes to install, such as "htop" or
	// "python312Packages.requests".
	//
	// +optional
	packages []string,
	// The platform to build for: linux/amd64 or linux/arm64. The default
	// is the engine's own; another runs Nix under emulation, which is slow.
	//
	// +optional
	platform dagger.Platform,
) (*dagger.Container, error) {
	return m.image(ctx, container.KindDevcontainer, sets, packages, platform)
}

// Runtime builds an image to run an application in from package sets, for
// the engine's platform or another. The project's packages and overlays
// apply, as to every build.
func (m *Nixlayer) Runtime(
	ctx context.Context,
	// The sets to install, separated by commas, in any order. The sets
	// function lists them.
	//
	// +default="base"
	sets string,
	// More nixpkgs attributes to install, such as "htop" or
	// "python312Packages.requests".
	//
	// +optional
	packages []string,
	// The platform to build for: linux/amd64 or linux/arm64. The default
	// is the engine's own; another runs Nix under emulation, which is slow.
	//
	// +optional
	platform dagger.Platform,
) (*dagger.Container, error) {
	return m.image(ctx, container.KindRuntime, sets, packages, platform)
}

// Closure builds package sets and reports their closure: every store path
// that an image of them holds, with its size, then the number of paths and
// their total size. The JSON report also lists each package with its
// version, source and patches.
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
	// The platform to build for: linux/amd64 or linux/arm64. The default
	// is the engine's own; another runs Nix under emulation, which is slow.
	//
	// +optional
	platform dagger.Platform,
) (string, error) {
	// asJSON is not called json, as the CLI's flag is: the engine's
	// generated code declares a variable named after each argument, and
	// one called json would hide the encoding/json package it calls.
	t, err := target(ctx, platform)
	if err != nil {
		return "", err
	}
	sel, req, err := m.selection(ctx, sets, packages, t.System)
	if err != nil {
		return "", err
	}
	inv := container.Invocation{Command: container.CommandClosure, Sets: sel.Sets, Packages: packages, System: t.System, JSON: asJSON}
	ctr, err := m.runHelper(ctx, t, inv, req.Overlays, "building the closure for "+t.Platform)
	if err != nil {
		return "", err
	}
	return ctr.Stdout(ctx)
}

// image builds an image of kind from the set spec and packages for
// platform. Bad input fails with the command line's error before any
// container runs.
func (m *Nixlayer) image(ctx context.Context, kind, spec string, packages []string, platform dagger.Platform) (*dagger.Container, error) {
	t, err := target(ctx, platform)
	if err != nil {
		return nil, err
	}
	b, err := m.plan(ctx, kind, spec, packages, t.System)
	if err != nil {
		return nil, err
	}
	return m.build(ctx, b, t)
}

// build is a checked request for images of one kind, for any target.
type build struct {
	inv      container.Invocation
	overlays []string
}

// plan checks the set spec and packages (with the project) for an image of
// kind, and returns the build. An empty spec is the kind's default sets.
func (m *Nixlayer) plan(ctx context.Context, kind, spec string, packages []string, system string) (build, error) {
	if spec == "" {
		spec = container.DefaultSets(kind)
	}
	sel, req, err := m.selection(ctx, spec, packages, system)
	if err != nil {
		return build{}, err
	}
	inv := container.Invocation{Command: container.CommandBuild, Kind: kind, Sets: sel.Sets, Packages: packages}
	return build{inv: inv, overlays: req.Overlays}, nil
}

// build runs b for t and returns its image.
func (m *Nixlayer) build(ctx context.Context, b build, t container.Target) (*dagger.Container, error) {
	b.inv.System = t.System
	ctr, err := m.runHelper(ctx, t, b.inv, b.overlays, fmt.Sprintf("building the %s image for %s", b.inv.Kind, t.Platform))
	if err != nil {
		return nil, err
	}
	return dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(t.Platform)}).Import(ctr.File(container.ImagePath)), nil
}
