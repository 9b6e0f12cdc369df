// Package pipeline is nixlayer's pipeline from a set spec to a closure, as
// the CLI runs it on the local Nix. The Dagger module runs the same steps
// (Select, then the flake's plan and build) with Nix in a container.
//
//	sel, req, _ := pipeline.Select("base,python", []string{"htop"}, project)
//	res, _ := pipeline.Run(ctx, driver, nixflake.Files, req, tmp)
//	report.Closure(os.Stdout, res.Closure)
package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"os"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// PackagesOrigin is the origin given to attributes from --packages.
const PackagesOrigin = "--packages"

// Catalog is the built-in catalog with the project's sets, if any.
func Catalog(project *sets.Project) (sets.Catalog, error) {
	c := sets.Builtin()
	if project == nil {
		return c, nil
	}
	return c.With(project.Sets...)
}

// Select composes spec and the extra packages with the project (which may
// be nil) into a selection, and the flake request that builds it.
func Select(spec string, packages []string, project *sets.Project, system string) (sets.Selection, flake.Request, error) {
	c, err := Catalog(project)
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	var extra []sets.Attr
	if project != nil {
		extra = append(extra, project.Packages...)
	}
	for _, p := range packages {
		extra = append(extra, sets.Attr{Path: p, Origin: PackagesOrigin})
	}
	sel, err := c.Compose(spec, extra)
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	req := flake.Request{System: system, Attrs: sel.Attrs, Sets: sel.Sets}
	if project != nil {
		for _, o := range project.Overlays {
			req.Overlays = append(req.Overlays, o.Path)
		}
	}
	return sel, req, nil
}

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
	dir, err := os.MkdirTemp(tmp, "nixlayer-")
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer os.RemoveAll(dir)
	w, locked, err := prepare(ctx, d, src, req, dir)
	if err != nil {
		return nil, err
	}
	return run(ctx, w, locked)
}

// prepare writes the flake and req into dir (which it makes) and locks it;
// the driver it returns builds the work directory.
func prepare(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, dir string) (*flake.Work, *nix.Driver, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("making a work directory: %w", err)
	}
	w, err := flake.Prepare(dir, src, req)
	if err != nil {
		return nil, nil, err
	}
	locked, err := w.Lock(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	return w, locked, nil
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
