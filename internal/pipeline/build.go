package pipeline

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/storelayers"
)

// Image is one image to build.
type Image struct {
	Kind      kind.Kind
	Selection sets.Selection
	// Request builds the selection (see Select); Build adds the kind's
	// required attributes.
	Request flake.Request
	// Catalog says where the catalog's closures come from.
	Catalog catalog.Source
	// CacheDir holds the blob cache, the records of earlier builds and,
	// when Catalog.Dir is empty, the recorded catalogs.
	CacheDir cachedir.Dir
	Budget   layers.Budget
	// Sets are what images of the catalog are made of (see catalog.Sets):
	// the catalog's partitioning prices its merges by them.
	Sets []layers.Set
	// Epoch, when not zero, is the time of the image (SOURCE_DATE_EPOCH);
	// otherwise it is the lastModified of the locked nixpkgs, or 1.
	Epoch int64
	// Reevaluate asks Nix again for what the record of an earlier build
	// with the same inputs says (and records the answer anew).
	Reevaluate bool
	// LenientCatalog leaves the catalog attributes that nixpkgs lacks out
	// of the catalog instead of failing (see flake.Request.Lenient), as
	// update-nixpkgs plans a pin that predates an attribute. Such a build
	// neither reads nor writes records.
	LenientCatalog bool
	// Progress, if set, receives one line per long step.
	Progress io.Writer
	// Base, when set, is the image to put the layers on (see OpenBase):
	// its layers come first, then the store layers, the same as on
	// scratch, then the customisation layer, which adds to the base's
	// filesystem and config.
	Base *Base
}

// Built is what Build made.
type Built struct {
	*Result
	Kind      kind.Kind
	Platform  platform.Platform
	Layers    *layers.ImagePlan
	Partition *layers.Partitioning
	// CatalogRecorded tells whether the catalog came from its record.
	CatalogRecorded bool
	Stats           image.Stats
	// Image is the image, whose layers stream from the blob cache.
	Image v1.Image
	// reassemble makes the image again, compressing the store paths that
	// the blob cache lost, such as a damaged entry's.
	reassemble func(context.Context) (v1.Image, error)
	Digest     string
	// Size is the compressed size of every layer.
	Size  int64
	Epoch time.Time
	Sets  []string
	// Added are the attributes the kind added to the selection (see
	// kind.Required), in order.
	Added []string
	// Base is the image's base, or nil.
	Base *Base
}

// Build builds the image: it plans and builds the packages, reads the
// catalog, plans the layers, and assembles the image, whose store layers
// are in the blob cache. See Write for the outputs.
//
// What Nix said of the same inputs before is recorded in the cache
// directory (see record): a rebuild with unchanged inputs evaluates and
// builds nothing, and only asks Nix for the closure of what the record
// names, which also checks that those paths are still in the store.
func Build(ctx context.Context, d *nix.Driver, src fs.FS, im Image, tmp string) (*Built, error) {
	req := im.Request
	if err := im.Kind.Check(req.Attrs); err != nil {
		return nil, err
	}
	p, err := platform.Parse(req.System)
	if err != nil {
		return nil, err
	}
	req.Attrs = im.Kind.WithRequired(req.Attrs)
	key := ""
	if !im.LenientCatalog {
		if key, err = recordKey(d, src, req, im.Epoch, im.CacheDir); err != nil {
			return nil, err
		}
	}
	var f *facts
	if !im.Reevaluate {
		if f, err = im.recorded(ctx, d, key); err != nil {
			return nil, err
		}
	}
	if f == nil {
		if f, err = im.evaluate(ctx, d, src, req, tmp); err != nil {
			return nil, err
		}
		if err := writeRecord(im.CacheDir, key, &f.record); err != nil {
			return nil, err
		}
	}
	b, err := im.build(ctx, f, p)
	if err != nil {
		return nil, err
	}
	b.Added = im.Kind.Added(req.Attrs)
	return b, nil
}

// facts are what Nix says of an image's inputs: the record, with the
// closure and the catalog it names.
type facts struct {
	record
	locked          *nix.Driver
	roots           []string
	closure         *nix.Closure
	catalog         layers.Catalog
	catalogRecorded bool
	epoch           int64
}

// epochOf is the image's time: im.Epoch, or else the pin's lastModified,
// or 1.
func (im *Image) epochOf(pin lock.Source) int64 {
	if im.Epoch != 0 {
		return im.Epoch
	}
	return max(pin.LastModified, 1)
}

// recorded returns the facts of the record of key, or nil when there is
// none, or when the store lacks a path it names (then it drops the record).
func (im *Image) recorded(ctx context.Context, d *nix.Driver, key string) (*facts, error) {
	r, ok := readRecord(im.CacheDir, key)
	if !ok {
		return nil, nil
	}
	locked := *d
	locked.FlakeArgs = nil
	cat, ok, err := im.catalogStep().Recorded(r.CatalogPlan)
	if err != nil || !ok {
		return nil, err
	}
	roots := r.Plan.Roots()
	q := locked
	q.Progress = nil
	// One query checks the database too: it refers to every path it
	// registers, so the image's closure is the roots' part of it.
	query := roots
	if r.Database != "" {
		query = append(slices.Clone(roots), r.Database)
	}
	all, err := q.PathInfo(ctx, query...)
	var closure *nix.Closure
	if err == nil {
		closure, err = all.Sub(roots...)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		dropRecord(im.CacheDir, key)
		return nil, nil
	}
	im.progress("the inputs are those of an earlier build: %d store paths, evaluated and built then", closure.Len())
	return &facts{record: *r, locked: &locked, roots: roots, closure: closure, catalog: cat, catalogRecorded: true, epoch: im.epochOf(r.Pin)}, nil
}

// evaluate asks Nix: it locks, plans and builds the image's packages and
// reads their closure, plans and reads the catalog, and builds a
// devcontainer's Nix database, in work directories under tmp.
func (im *Image) evaluate(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, tmp string) (*facts, error) {
	wd, err := atomic.WorkDir(tmp)
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer wd.RemoveAll()
	dir := wd.Path

	im.progress("planning and building %d packages", len(req.Attrs))
	w, locked, err := prepare(ctx, d, src, req, filepath.Join(dir, "image"))
	if err != nil {
		return nil, err
	}
	pin, err := nixpkgsPin(w)
	if err != nil {
		return nil, err
	}
	f := &facts{record: record{Pin: pin}, locked: locked, epoch: im.epochOf(pin)}
	req.Epoch = f.epoch
	if err := w.SetRequest(req); err != nil {
		return nil, err
	}
	res, err := run(ctx, w, locked)
	if err != nil {
		return nil, err
	}
	f.Plan, f.roots, f.closure = res.Plan, res.Roots, res.Closure
	drvs, err := locked.Derivations(ctx, res.Plan.Derivations()...)
	if err != nil {
		return nil, fmt.Errorf("reading the derivations of the closure: %w", err)
	}
	f.Facts = nix.ClosureFacts(res.Closure, drvs)
	c, err := im.catalog(ctx, d, src, filepath.Join(dir, "catalog"))
	if err != nil {
		return nil, err
	}
	f.catalog, f.CatalogPlan, f.catalogRecorded = c.Catalog, c.Plan, c.Recorded
	if im.Kind == kind.Devcontainer {
		im.progress("building the Nix database of %d store paths", res.Closure.Len())
		if f.Database, err = w.Registration(ctx, locked); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// build lays out the layers of f's closure and assembles the image.
func (im *Image) build(ctx context.Context, f *facts, p platform.Platform) (*Built, error) {
	step := im.catalogStep()
	part, err := step.Partition(f.catalog)
	if err != nil {
		return nil, err
	}
	plan, err := step.Plan(layers.Image{Roots: catalog.Roots(f.Plan), Graph: f.closure}, part)
	if err != nil {
		return nil, err
	}
	im.progress("%d store layers for %d store paths (%d catalog groups, bloat %d bytes)", len(plan.Layers), f.closure.Len(), part.Groups, plan.Bloat)

	t := time.Unix(f.epoch, 0).UTC()
	doc, err := sbom.FromFacts(sbom.Meta{Kind: string(im.Kind), Sets: im.Selection.Sets, System: p.System, Nixpkgs: f.Pin.Label(), Epoch: t}, f.closure, f.Facts, f.Plan)
	if err != nil {
		return nil, err
	}
	bom, err := doc.Encode()
	if err != nil {
		return nil, err
	}
	in := rootfs.Input{
		Kind: im.Kind, System: p.System, Closure: f.closure.Paths(), SBOM: bom,
		Store: f.locked.Root(), Database: f.Database,
		Sets: im.Selection.Sets, Nixpkgs: f.Pin.Label(),
		Extensions: im.Selection.Extensions, Settings: im.Selection.Settings,
	}
	if im.Base != nil {
		in.Base = im.Base.fs
	}
	for _, p := range f.Plan.Packages {
		in.Packages = append(in.Packages, rootfs.Package{Attr: p.Attr, Out: p.OutPath})
	}
	img, stats, err := im.assemble(ctx, f.locked, in, plan, f.closure, f.catalog, t)
	if err != nil {
		return nil, err
	}
	digest, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("hashing the image: %w", err)
	}
	size, err := compressedSize(img)
	if err != nil {
		return nil, err
	}
	reassemble := func(ctx context.Context) (v1.Image, error) {
		img, _, err := im.assemble(ctx, f.locked, in, plan, f.closure, f.catalog, t)
		return img, err
	}
	res := &Result{Plan: f.Plan, Roots: f.roots, Closure: f.closure}
	return &Built{Result: res, Kind: im.Kind, Platform: p, Layers: plan, Partition: part, CatalogRecorded: f.catalogRecorded,
		Stats: stats, Image: img, reassemble: reassemble, Digest: digest.String(), Size: size, Epoch: t, Sets: im.Selection.Sets, Base: im.Base}, nil
}

// compressedSize adds up the compressed sizes of img's layers.
func compressedSize(img v1.Image) (int64, error) {
	ls, err := img.Layers()
	if err != nil {
		return 0, fmt.Errorf("reading the image's layers: %w", err)
	}
	var n int64
	for _, l := range ls {
		s, err := l.Size()
		if err != nil {
			return 0, fmt.Errorf("reading a layer's size: %w", err)
		}
		n += s
	}
	return n, nil
}

// catalogStep is the catalog step of the image's build: its catalog
// source, cache, budget and sets. On a base image, the budget leaves room
// for the base's layers (see layers.Budget.On), so that the whole image
// keeps within layers.MaxImageLayers.
func (im *Image) catalogStep() catalog.Step {
	budget := im.Budget
	if im.Base != nil {
		budget = budget.On(im.Base.Layers)
	}
	return catalog.Step{Source: im.Catalog, Cache: im.CacheDir, Budget: budget, Sets: im.Sets, Lenient: im.LenientCatalog, Progress: im.Progress}
}

// catalog reads the catalog for the image's system and overlays in the
// work directory dir, once Nix is known to build for that system.
func (im *Image) catalog(ctx context.Context, d *nix.Driver, src fs.FS, dir string) (*catalog.Read, error) {
	if err := checkSystem(ctx, d, im.Request.System); err != nil {
		return nil, fmt.Errorf("planning the catalog: %w", err)
	}
	return im.catalogStep().Read(ctx, d, src, im.Request.System, im.Request.Overlays, dir)
}

// nixpkgsPin reads the nixpkgs input of the work directory's lock, which
// may be an override (a path, with no rev or time).
func nixpkgsPin(w *flake.Work) (lock.Source, error) {
	data, err := os.ReadFile(filepath.Join(w.Dir, "flake.lock"))
	if err != nil {
		return lock.Source{}, fmt.Errorf("reading the lock: %w", err)
	}
	return lock.Locked(data, "nixpkgs")
}

// assemble builds the store layers and the customisation layer and puts
// them together.
func (im *Image) assemble(ctx context.Context, d *nix.Driver, in rootfs.Input, plan *layers.ImagePlan, closure *nix.Closure, cat layers.Catalog, t time.Time) (v1.Image, image.Stats, error) {
	// The store layers are dated as the store dates its files (see
	// storelayers.Compressor); the customisation layer and the config
	// carry the image's time.
	c := storelayers.Compressor{Cache: im.CacheDir, Store: d.Root(), Progress: im.layerProgress()}
	all, stats, err := c.Compress(ctx, plan.Layers, closure, cat.Graph)
	if err != nil {
		return nil, image.Stats{}, err
	}
	files, err := rootfs.Files(in)
	if err != nil {
		return nil, image.Stats{}, err
	}
	custom, err := image.FilesLayer(files, t)
	if err != nil {
		return nil, image.Stats{}, fmt.Errorf("making the customisation layer: %w", err)
	}
	cfg, err := rootfs.Config(in, t)
	if err != nil {
		return nil, image.Stats{}, err
	}
	all = append(all, image.CustomisationLayer(custom, string(in.Kind)))
	var img v1.Image
	if im.Base != nil {
		img, err = image.AssembleOn(im.Base.image, cfg, all)
	} else {
		img, err = image.Assemble(cfg, all)
	}
	if err != nil {
		return nil, image.Stats{}, err
	}
	return img, stats, nil
}
