package main

import (
	"context"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
)

// Inventory evaluates the sets, without building them, and returns what
// nixpkgs says about each package as JSON: its attribute, the set it comes
// from, its store path, pname and version, where its source comes from
// (URL, or repository and revision), the patches applied to it, its
// licenses and its identifiers (such as a CPE), as nixlayer inventory
// prints it.
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
	p, err := target(ctx, platform)
	if err != nil {
		return "", err
	}
	sel, _, err := m.selection(ctx, sets, packages, p)
	if err != nil {
		return "", err
	}
	plan, in, err := m.helperPlan(ctx, container.Inventory{Selection: sel}, "evaluating the inventory for "+p.OCI, inputs{})
	if err != nil {
		return "", err
	}
	return in.stdout(ctx, plan)
}
