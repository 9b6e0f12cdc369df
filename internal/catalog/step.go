package catalog

import (
	"context"
	"fmt"
	"io"
	"io/fs"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Step is the catalog step of a build (package pipeline) and of the plan
// of an update (package update): it plans every catalog attribute for a
// system and the project's overlays, reads their closures from Source,
// with the records in the cache directory, partitions the catalog with
// Budget and Sets, and plans an image's store layers on that
// partitioning. Both go through it, so that an update lays out the
// layers that builds at its pins make.
type Step struct {
	// Source says where the catalog's closures come from. When its Dir
	// is empty, the records are kept in Cache (see cachedir.Dir.Catalogs).
	Source Source
	Cache  cachedir.Dir
	// Budget limits the layers of an image; the zero Budget is the
	// default one (see layers.Budget).
	Budget layers.Budget
	// Sets are what images of the catalog are made of (see Sets): the
	// partitioning prices its merges by them.
	Sets []layers.Set
	// Lenient leaves the catalog attributes that nixpkgs lacks out of the
	// catalog instead of failing (see flake.Request.Lenient).
	Lenient bool
	// Progress, when set, gets a line when the catalog is read.
	Progress io.Writer
}

// Read is a catalog as Step.Read read it.
type Read struct {
	layers.Catalog
	// Plan is the catalog's plan, which names its out paths.
	Plan *flake.Plan
	// Recorded tells whether the closures came from their record.
	Recorded bool
}

// Records is the step's Source, with the records in the cache directory
// when Source.Dir is empty.
func (s Step) Records() Source {
	src := s.Source
	if src.Dir == "" {
		src.Dir = s.Cache.Catalogs()
	}
	return src
}

// Read plans the catalog for system and overlays with d, from the flake
// src copied into the work directory dir (which it makes), and reads its
// closures (see Source.Load). The driver's FlakeArgs, such as an
// --override-input of nixpkgs, are written into the work directory's
// lock first (see flake.Work.Lock).
func (s Step) Read(ctx context.Context, d *nix.Driver, src fs.FS, system string, overlays []string, dir string) (*Read, error) {
	req := Request(system, overlays)
	req.Lenient = s.Lenient
	if s.Progress != nil {
		fmt.Fprintf(s.Progress, "nixlayer: reading the catalog (%d attributes) from %s\n", len(req.Attrs), s.Source.StoreName())
	}
	w, locked, err := flake.PrepareLocked(ctx, d, dir, src, req)
	if err != nil {
		return nil, fmt.Errorf("planning the catalog: %w", err)
	}
	quiet := *locked
	quiet.Progress = nil // a failed evaluation is reported once, in its error
	plan, err := w.Plan(ctx, &quiet)
	if err != nil {
		return nil, fmt.Errorf("planning the catalog: %w", err)
	}
	c, recorded, err := s.Records().Load(ctx, locked, w, plan)
	if err != nil {
		return nil, err
	}
	return &Read{Catalog: c, Plan: plan, Recorded: recorded}, nil
}

// Recorded returns the catalog of plan from its record, and whether there
// was one (see Source.Recorded).
func (s Step) Recorded(plan *flake.Plan) (layers.Catalog, bool, error) {
	return s.Records().Recorded(plan)
}

// Partition partitions c with the step's budget and sets.
func (s Step) Partition(c layers.Catalog) (*layers.Partitioning, error) {
	part, err := layers.Partition(c, s.Budget, s.Sets...)
	if err != nil {
		return nil, fmt.Errorf("partitioning the catalog: %w", err)
	}
	return part, nil
}

// Plan lays out the store layers of img on part, a partitioning of the
// step's, with the step's budget.
func (s Step) Plan(img layers.Image, part *layers.Partitioning) (*layers.ImagePlan, error) {
	plan, err := layers.Plan(img, part, s.Budget)
	if err != nil {
		return nil, fmt.Errorf("planning the layers: %w", err)
	}
	return plan, nil
}
