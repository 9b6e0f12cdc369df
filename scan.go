package main

import (
	"context"
	"strings"

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
) (string, error) {
	_, _, plan, err := m.evaluate(ctx, sets, packages)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := report.JSON(&b, plan); err != nil {
		return "", err
	}
	return b.String(), nil
}
