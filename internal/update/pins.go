package update

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// side is what one pin's evaluation gave: the lenient plan of every
// catalog attribute, the catalog's closures and their partitioning, as
// builds at that pin make them with step.
type side struct {
	which   string
	pin     lock.Pin
	step    catalog.Step
	plan    *flake.Plan
	catalog layers.Catalog
	part    *layers.Partitioning
}

// catalogStep is the catalog step of builds of the standard images at
// either pin: the built-in sets, the default budget, and a lenient plan,
// since the pins' attributes differ.
func (o *Options) catalogStep() catalog.Step {
	return catalog.Step{Source: o.Catalog, Cache: o.CacheDir, Sets: catalog.Sets(sets.Builtin(), nil), Lenient: true, Progress: o.Progress}
}

// evaluate plans and reads the catalog of the flake copy src (at pin) in a
// work directory dir, which it makes, and partitions it.
func (o *Options) evaluate(ctx context.Context, which, src, dir string, pin lock.Pin) (*side, error) {
	o.progress("evaluating the catalog at the %s pin, %s", which, pin.Rev)
	step := o.catalogStep()
	c, err := step.Read(ctx, o.Driver, os.DirFS(src), o.System, nil, dir)
	if err != nil {
		return nil, fmt.Errorf("at the %s pin: %w", which, err)
	}
	part, err := step.Partition(c.Catalog)
	if err != nil {
		return nil, fmt.Errorf("at the %s pin: %w", which, err)
	}
	return &side{which: which, pin: pin, step: step, plan: c.Plan, catalog: c.Catalog, part: part}, nil
}

// closure is the side's catalog, for the set sizes.
func (s *side) closure() changes.Closure {
	return changes.Closure{Roots: s.catalog.Roots, Graph: s.catalog.Graph}
}

// compare evaluates both pins, from the flake copies oldDir and newDir in
// work directories under work, and fills in the rest of r.
func (o *Options) compare(ctx context.Context, r *changes.Report, work, oldDir, newDir string, oldPin, newPin lock.Pin) error {
	before, err := o.evaluate(ctx, "old", oldDir, filepath.Join(work, "old"), oldPin)
	if err != nil {
		return err
	}
	after, err := o.evaluate(ctx, "new", newDir, filepath.Join(work, "new"), newPin)
	if err != nil {
		return err
	}
	r.Versions, r.Added, r.Removed, r.Rebuilt = changes.CompareVersions(before.plan, after.plan)
	if r.Sets, err = changes.SetSizes(sets.Builtin(), before.closure(), after.closure()); err != nil {
		return fmt.Errorf("sizing the sets' closures: %w", err)
	}
	if r.Images, err = o.images(ctx, before, after); err != nil {
		return err
	}
	if o.Scanner != nil {
		if r.Vulnerabilities, err = o.vulnerabilities(ctx, before, after); err != nil {
			return err
		}
	}
	return nil
}
