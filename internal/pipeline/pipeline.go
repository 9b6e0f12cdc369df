// Package pipeline is nixlayer's pipeline from a flake request to a
// closure and to an image, as the CLI runs it on the local Nix. The
// Dagger module runs the same CLI in a container, as its helper.
//
//	sel, req, _ := selection.Select("base,python", []string{"htop"}, project, system)
//	res, _ := pipeline.Run(ctx, driver, nixflake.Files, req, tmp)
//	report.Closure(os.Stdout, res.Closure)
package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Result is what Run found.
type Result struct {
	Plan    *flake.Plan
	Roots   []string
	Closure *nix.Closure
}

// Run plans and builds req with the local Nix in a work directory under
// tmp, which it removes, and returns the closure of what it built.
// Progress, when the driver has a Progress writer, covers the build.
func Run(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, tmp string) (*Result, error) {
	wd, err := atomic.WorkDir(tmp)
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer wd.RemoveAll()
	w, locked, err := prepare(ctx, d, src, req, wd.Path)
	if err != nil {
		return nil, err
	}
	return run(ctx, w, locked)
}

// checkSystem returns an error that wraps usererr.ErrBadInput, in one line
// that says what to add, when Nix is not set up to build the derivations
// of system here (neither its system nor one of its extra-platforms),
// before any work: Nix's own message comes after the evaluation, and names
// neither nix.conf nor emulation.
func checkSystem(ctx context.Context, d *nix.Driver, system string) error {
	if system == "" || system == platform.HostSystem() {
		return nil
	}
	c, err := d.Config(ctx)
	if err != nil {
		return err
	}
	if slices.Contains(c.Platforms(), system) {
		return nil
	}
	return usererr.Errorf("building for %s needs Nix to build %s derivations on this %s machine: add \"extra-platforms = %s\" to nix.conf, with an emulator for it registered in binfmt_misc (such as Debian's qemu-user-static; .ci/setup does both)", system, system, c.System, system)
}

// prepare checks that Nix can build for req's system, writes the flake
// and req into dir (which it makes) and locks it (see
// flake.PrepareLocked); the driver it returns builds the work directory.
func prepare(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, dir string) (*flake.Work, *nix.Driver, error) {
	if err := checkSystem(ctx, d, req.System); err != nil {
		return nil, nil, err
	}
	return flake.PrepareLocked(ctx, d, dir, src, req)
}

// run plans and builds a prepared work directory, and reads the closure.
func run(ctx context.Context, w *flake.Work, d *nix.Driver) (*Result, error) {
	quiet := *d
	quiet.Progress = nil // a failed evaluation is reported once, in its error
	plan, err := w.Plan(ctx, &quiet)
	if err != nil {
		return nil, err
	}
	roots, err := w.Build(ctx, d, plan)
	if err != nil {
		return nil, err
	}
	closure, err := d.PathInfo(ctx, roots...)
	if err != nil {
		return nil, fmt.Errorf("reading the closure: %w", err)
	}
	return &Result{Plan: plan, Roots: roots, Closure: closure}, nil
}

// Evaluate plans req with the local Nix, without building it, in a work
// directory under tmp, which it removes.
func Evaluate(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, tmp string) (*flake.Plan, error) {
	wd, err := atomic.WorkDir(tmp)
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer wd.RemoveAll()
	w, locked, err := prepare(ctx, d, src, req, wd.Path)
	if err != nil {
		return nil, err
	}
	return w.Plan(ctx, locked)
}
