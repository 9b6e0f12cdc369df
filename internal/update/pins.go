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
// builds at that pin make them.
type side struct {
	which   string
	pin     lock.Pin
	plan    *flake.Plan
	catalog layers.Catalog
	part    *layers.Partitioning
}

// evaluate plans and reads the catalog of the flake copy src (at pin) in a
// work directory dir, which it makes.
func (o *Options) evaluate(ctx context.Context, which, src, dir string, pin lock.Pin) (*side, error) {
	req := catalog.Request(o.System, nil)
	req.Lenient = true
	o.progress("evaluating the %d catalog attributes at the %s pin, %s", len(req.Attrs), which, pin.Rev)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	w, err := flake.Prepare(dir, os.DirFS(src), req)
	if err != nil {
		return nil, err
	}
	locked, err := w.Lock(ctx, o.Driver)
	if err != nil {
		return nil, err
	}
	quiet := *locked
	quiet.Progress = nil // a failed evaluation is reported once, in its error
	plan, err := w.Plan(ctx, &quiet)
	if err != nil {
		return nil, fmt.Errorf("at the %s pin: %w", which, err)
	}
	o.progress("reading the catalog's closures at the %s pin from %s", which, storeName(o.Catalog.Store))
	cat, _, err := o.catalogSource().Load(ctx, locked, w, plan)
	if err != nil {
		return nil, fmt.Errorf("at the %s pin: %w", which, err)
	}
	part, err := layers.Partition(cat, layers.Budget{}, catalog.Sets(sets.Builtin(), nil)...)
	if err != nil {
		return nil, fmt.Errorf("partitioning the catalog at the %s pin: %w", which, err)
	}
	return &side{which: which, pin: pin, plan: plan, catalog: cat, part: part}, nil
}

// catalogSource is o.Catalog, with the records in the cache directory as
// builds keep them.
func (o *Options) catalogSource() catalog.Source {
	s := o.Catalog
	if s.Dir == "" {
		s.Dir = o.CacheDir.Catalogs()
	}
	return s
}

func storeName(s string) string {
	if s == "" {
		return "the local store"
	}
	return s
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
