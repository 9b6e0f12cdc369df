package main

import (
	"context"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/lock"
)

// Pin reports the nixpkgs that nixlayer's flake.lock pins, which every
// build uses unless --nixpkgs replaces it: its type, repository, branch,
// commit, commit time (RFC 3339, UTC) and NAR hash, one "key: value" per
// line.
func (m *Nixlayer) Pin(ctx context.Context) (string, error) {
	data, err := dag.CurrentModule().Source().File("nix/flake.lock").Contents(ctx)
	if err != nil {
		return "", fmt.Errorf("reading flake.lock: %w", err)
	}
	l, err := lock.Parse([]byte(data))
	if err != nil {
		return "", err
	}
	pin, err := l.Input("nixpkgs")
	if err != nil {
		return "", err
	}
	return pin.Report(), nil
}
