package pipeline

import (
	"context"
	"io/fs"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Shell writes the flake of req's dev shells (see devshell.Request) into
// dir, which it makes and the caller keeps, and locks it: the driver's
// nixpkgs override is written into its flake.lock. It evaluates req's
// plan, so that an attribute nixpkgs lacks is bad input (a
// *flake.AttrError) before a shell opens, and, with build, builds req's
// packages, with the driver's progress, so that nix develop finds them
// built. The driver it returns evaluates dir.
func Shell(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, dir string, build bool) (*flake.Work, *nix.Driver, error) {
	w, locked, err := prepare(ctx, d, src, req, dir)
	if err != nil {
		return nil, nil, err
	}
	quiet := *locked
	quiet.Progress = nil // a failed evaluation is reported once, in its error
	plan, err := w.Plan(ctx, &quiet)
	if err != nil {
		return nil, nil, err
	}
	if build {
		if _, err := w.Build(ctx, locked, plan); err != nil {
			return nil, nil, err
		}
	}
	return w, locked, nil
}
