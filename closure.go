package main

import (
	"context"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
)

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
	p, err := target(ctx, platform)
	if err != nil {
		return "", err
	}
	sel, _, err := m.selection(ctx, sets, packages, p)
	if err != nil {
		return "", err
	}
	plan, in, err := m.helperPlan(ctx, container.Closure{Selection: sel, JSON: asJSON}, "building the closure for "+p.OCI, inputs{})
	if err != nil {
		return "", err
	}
	return in.stdout(ctx, plan)
}
