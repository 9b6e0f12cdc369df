package pipeline

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Image is one image to build.
type Image struct {
	Kind      rootfs.Kind
	Selection sets.Selection
	// Request builds the selection (see Select); Build adds the kind's
	// required attributes.
	Request flake.Request
	// Catalog says where the catalog's closures come from.
	Catalog catalog.Source
	// CacheDir holds the blob cache (and recorded catalogs when
	// Catalog.Dir is empty).
	CacheDir string
	Budget   layers.Budget
	// Epoch, when not zero, is the time of the image (SOURCE_DATE_EPOCH);
	// otherwise it is the lastModified of the locked nixpkgs, or 1.
	Epoch int64
	// Output is the image archive to write; Layout, if set, an OCI layout
	// directory. Tag names the image in both.
	Output, Layout, Tag string
	// Progress, if set, receives one line per long step.
	Progress io.Writer
}

// Built is what Build made.
type Built struct {
	*Result
	Layers    *layers.ImagePlan
	Partition *layers.Partitioning
	// CatalogRecorded tells whether the catalog came from its record.
	CatalogRecorded bool
	Stats           image.Stats
	Digest          string
	// Size is the compressed size of every layer.
	Size  int64
	Epoch time.Time
	Sets  []string
}

func (im *Image) progress(format string, args ...any) {
	if im.Progress != nil {
		fmt.Fprintf(im.Progress, "nixlayer: "+format+"\n", args...)
	}
}

// Build builds the image: it plans and builds the packages, reads the
// catalog, plans the layers, and writes the image, to Layout and then to
// Output. Nothing is written before every other step has succeeded, and
// each output is written whole or not at all.
func Build(ctx context.Context, d *nix.Driver, src fs.FS, im Image, tmp string) (*Built, error) {
	req := im.Request
	if err := im.Kind.Check(req.Attrs); err != nil {
		return nil, err
	}
	req.Attrs = im.Kind.WithRequired(req.Attrs)
	dir, err := os.MkdirTemp(tmp, "nixlayer-")
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer os.RemoveAll(dir)

	im.progress("planning and building %d packages", len(req.Attrs))
	w, locked, err := prepare(ctx, d, src, req, filepath.Join(dir, "image"))
	if err != nil {
		return nil, err
	}
	pin, err := nixpkgsPin(w)
	if err != nil {
		return nil, err
	}
	epoch := im.Epoch
	if epoch == 0 {
		epoch = max(pin.LastModified, 1)
	}
	req.Epoch = epoch
	if err := w.SetRequest(req); err != nil {
		return nil, err
	}
	res, err := run(ctx, w, locked)
	if err != nil {
		return nil, err
	}
	cat, recorded, err := im.catalog(ctx, d, src, req, filepath.Join(dir, "catalog"))
	if err != nil {
		return nil, err
	}
	part, err := layers.Partition(cat, im.Budget)
	if err != nil {
		return nil, fmt.Errorf("partitioning the catalog: %w", err)
	}
	imgRoots := map[string]string{}
	for _, p := range res.Plan.Packages {
		imgRoots[p.Attr] = p.OutPath
	}
	plan, err := layers.Plan(layers.Image{Roots: imgRoots, Graph: res.Closure}, part, im.Budget)
	if err != nil {
		return nil, fmt.Errorf("planning the layers: %w", err)
	}
	im.progress("%d store layers for %d store paths (%d catalog groups, bloat %d bytes)", len(plan.Layers), res.Closure.Len(), part.Groups, plan.Bloat)

	in := rootfs.Input{
		Kind: im.Kind, System: req.System, Closure: res.Closure.Paths(),
		Store: os.DirFS(storeRoot(locked)), StoreRoot: locked.StoreRoot(),
		Sets: im.Selection.Sets, Nixpkgs: pin.Label(),
		Extensions: im.Selection.Extensions, Settings: im.Selection.Settings,
	}
	for _, p := range res.Plan.Packages {
		in.Packages = append(in.Packages, rootfs.Package{Attr: p.Attr, Out: p.OutPath})
	}
	if im.Kind == rootfs.Devcontainer {
		im.progress("building the Nix database of %d store paths", res.Closure.Len())
		if in.Database, err = w.Registration(ctx, locked); err != nil {
			return nil, err
		}
	}
	t := time.Unix(epoch, 0).UTC()
	img, stats, err := im.assemble(ctx, locked, in, plan, res.Closure, cat, t)
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
	if im.Layout != "" {
		im.progress("writing the OCI layout %s", im.Layout)
		if err := image.WriteLayout(ctx, img, im.Layout, im.Tag); err != nil {
			return nil, err
		}
	}
	if im.Output != "" {
		im.progress("writing %s", im.Output)
		if err := image.WriteArchive(ctx, img, im.Output, im.Tag); err != nil {
			return nil, err
		}
	}
	return &Built{Result: res, Layers: plan, Partition: part, CatalogRecorded: recorded,
		Stats: stats, Digest: digest.String(), Size: size, Epoch: t, Sets: im.Selection.Sets}, nil
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

// layerProgress reports compression: each path that takes a while (over
// 8 MiB), and every layer's digests, when the image has many paths.
func (im *Image) layerProgress(layers int) func(image.Event) {
	if im.Progress == nil {
		return nil
	}
	return func(ev image.Event) {
		switch {
		case ev.Kind == image.PathCompressing && ev.Bytes >= 8<<20:
			im.progress("compressing %s (%d MiB)", ev.Path, ev.Bytes>>20)
		case ev.Kind == image.LayerComputed:
			im.progress("layer %d of %d hashed", ev.Layer+1, layers)
		}
	}
}

// catalog loads the catalog for req's system and overlays.
func (im *Image) catalog(ctx context.Context, d *nix.Driver, src fs.FS, req flake.Request, dir string) (layers.Catalog, bool, error) {
	creq := catalog.Request(req.System, req.Overlays)
	im.progress("reading the catalog (%d attributes) from %s", len(creq.Attrs), storeLabel(im.Catalog.Store))
	w, locked, err := prepare(ctx, d, src, creq, dir)
	if err != nil {
		return layers.Catalog{}, false, fmt.Errorf("planning the catalog: %w", err)
	}
	quiet := *locked
	quiet.Progress = nil
	plan, err := w.Plan(ctx, &quiet)
	if err != nil {
		return layers.Catalog{}, false, fmt.Errorf("planning the catalog: %w", err)
	}
	s := im.Catalog
	if s.Dir == "" && im.CacheDir != "" {
		s.Dir = filepath.Join(im.CacheDir, "catalog")
	}
	return s.Load(ctx, locked, w, plan)
}

func storeLabel(s string) string {
	if s == "" {
		return "the local store"
	}
	return s
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

func storeRoot(d *nix.Driver) string {
	if r := d.StoreRoot(); r != "" {
		return r
	}
	return "/"
}

// storePaths gives the layers' paths with their hashes and sizes, from the
// image's closure or, for paths a merged block brings, the catalog's.
func storePaths(plan *layers.ImagePlan, graphs ...*nix.Closure) ([][]image.StorePath, error) {
	out := make([][]image.StorePath, len(plan.Layers))
	for i, l := range plan.Layers {
		for _, p := range l.Paths {
			var info nix.PathInfo
			found := false
			for _, g := range graphs {
				if info, found = g.Lookup(p); found {
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("planning the layers: %s is in no closure", p)
			}
			out[i] = append(out[i], image.StorePath{Path: p, NarHash: info.NarHash, NarSize: info.NarSize})
		}
	}
	return out, nil
}

// assemble builds the store layers and the customisation layer and puts
// them together.
func (im *Image) assemble(ctx context.Context, d *nix.Driver, in rootfs.Input, plan *layers.ImagePlan, closure *nix.Closure, cat layers.Catalog, t time.Time) (v1.Image, image.Stats, error) {
	paths, err := storePaths(plan, closure, cat.Graph)
	if err != nil {
		return nil, image.Stats{}, err
	}
	cache, err := image.OpenCache(filepath.Join(im.CacheDir, "blobs"))
	if err != nil {
		return nil, image.Stats{}, err
	}
	b := &image.Builder{StoreRoot: d.StoreRoot(), Cache: cache, Epoch: t, Progress: im.layerProgress(len(paths))}
	stored, err := b.StoreLayers(ctx, paths)
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
	var all []image.Layer
	for i, l := range stored {
		all = append(all, image.Layer{
			Layer:       l,
			Annotations: map[string]string{image.AnnotationStorePaths: strings.Join(plan.Layers[i].Paths, "\n")},
			CreatedBy:   "nixlayer: " + plan.Layers[i].Kind + " layer of " + strconv.Itoa(len(plan.Layers[i].Paths)) + " store paths",
		})
	}
	all = append(all, image.Layer{Layer: custom, CreatedBy: "nixlayer: " + string(in.Kind) + " customisation"})
	img, err := image.Assemble(cfg, all)
	if err != nil {
		return nil, image.Stats{}, err
	}
	return img, b.Stats(), nil
}
