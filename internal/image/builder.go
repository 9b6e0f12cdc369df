package image

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/nix"
	"golang.org/x/sync/errgroup"
)

// Builder builds store layers, layers of whole store paths, from the store
// on disk through a Cache. Set its fields before the first call and do not
// change them afterwards; its methods may be called from several
// goroutines.
type Builder struct {
	// Store is where /nix/store lives on disk: "" or "/" for the real
	// /nix, the root of a chroot store otherwise. Store paths are named
	// /nix/store/... in layers either way.
	Store nix.Root

	// Cache holds the compressed store paths and layer metadata. It is
	// required.
	Cache *Cache

	// Epoch is the modification time of every entry, such as the time of
	// SOURCE_DATE_EPOCH or of the lock's lastModified. The zero time
	// stands for one second after the Unix epoch, as in Nix.
	Epoch time.Time

	// Progress, when not nil, is called for every store path and layer as
	// it is compressed, reused or computed. Calls do not overlap, but they
	// come from the goroutines doing the work, so they must be quick.
	Progress func(Event)

	// Jobs is the most store paths compressed, or layers computed, at
	// once; 0 means runtime.GOMAXPROCS(0).
	Jobs int

	mu    sync.Mutex
	stats Stats
}

// StorePath is a store path to put in a layer.
type StorePath struct {
	Path    string // such as /nix/store/<hash>-hello-2.12.2
	NarHash string // the hash of its contents, as Nix reports it; part of the cache key
	NarSize int64  // the size of its NAR serialisation, for progress reports and to start large paths first
}

// planPath is a distinct store path of a StoreLayers call.
type planPath struct {
	StorePath
	key        string
	disk       string
	verify     bool // read the cached entry in full before trusting it
	meta       pathMeta
	compressed bool // compressed by this call

	// solo is a layer that is not in the cache and holds this path alone.
	// Its digests are computed while the path is compressed, into soloMeta.
	solo     *planLayer
	soloMeta *layerMeta
}

// planLayer is a layer of a StoreLayers call.
type planLayer struct {
	index  int
	paths  []*planPath // sorted by store path
	key    string
	cached *layerMeta // the metadata found in the cache, if any
}

// StoreLayers returns one layer for each list of store paths. Each layer
// holds the entries nix/ and nix/store/ and then the entries of its store
// paths in the order of their paths; a store path may appear in several
// layers, but only once in each.
//
// Store paths that are not in the cache are compressed, up to Jobs at a
// time, largest first; then the digests of layers that are not in the
// cache are computed, which reads their compressed paths, except for a
// layer of one store path compressed by this call, whose digests are
// computed while compressing it. The layers returned stream their
// content from the cache files and know their digests, so that assembling
// and writing an image reads every byte once. Their content is checked
// against the recorded digests as it is read: a cache file that changed
// makes the read fail and is removed from the cache.
//
// A store path missing on disk is an error naming it, even when the cache
// holds it. When ctx is done, StoreLayers stops and returns ctx's error;
// the cache holds only complete entries.
func (b *Builder) StoreLayers(ctx context.Context, layers [][]StorePath) ([]v1.Layer, error) {
	ls, err := b.storeLayers(ctx, layers)
	if err != nil {
		return nil, fmt.Errorf("building store layers: %w", err)
	}
	return ls, nil
}

func (b *Builder) storeLayers(ctx context.Context, layers [][]StorePath) ([]v1.Layer, error) {
	if b.Cache == nil {
		return nil, errors.New("no cache")
	}
	mtime := modTime(b.Epoch)
	paths, pls, err := b.plan(layers, mtime)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		if _, err := os.Lstat(p.disk); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("store path %s is missing (no %s)", p.Path, p.disk)
			}
			return nil, err
		}
	}
	prefix, err := prefixMember(mtime)
	if err != nil {
		return nil, err
	}
	trailer, err := trailerMember()
	if err != nil {
		return nil, err
	}
	for _, l := range pls {
		if m, ok := b.Cache.lookupLayer(l.key); ok {
			l.cached = &m
			continue
		}
		for _, p := range l.paths {
			p.verify = true
		}
		if p := l.paths[0]; len(l.paths) == 1 && p.solo == nil {
			p.solo = l
		}
	}
	if err := b.ensurePaths(ctx, paths, mtime, prefix, trailer); err != nil {
		return nil, err
	}
	return b.layers(ctx, pls, prefix, trailer)
}

// plan checks the arguments of StoreLayers and returns the distinct store
// paths, in order of first appearance, and the layers.
func (b *Builder) plan(layers [][]StorePath, mtime time.Time) ([]*planPath, []*planLayer, error) {
	byPath := map[string]*planPath{}
	var paths []*planPath
	pls := make([]*planLayer, len(layers))
	for i, l := range layers {
		if len(l) == 0 {
			return nil, nil, fmt.Errorf("layer %d has no store paths", i)
		}
		pl := &planLayer{index: i}
		for _, sp := range l {
			if err := nix.CheckStorePath(sp.Path); err != nil {
				return nil, nil, err
			}
			if sp.NarHash == "" {
				return nil, nil, fmt.Errorf("store path %s has no narHash", sp.Path)
			}
			p, ok := byPath[sp.Path]
			if !ok {
				p = &planPath{StorePath: sp, key: pathKey(sp, mtime), disk: b.Store.Path(sp.Path)}
				byPath[sp.Path] = p
				paths = append(paths, p)
			} else if p.NarHash != sp.NarHash {
				return nil, nil, fmt.Errorf("store path %s is given with narHash %s and %s", sp.Path, p.NarHash, sp.NarHash)
			}
			pl.paths = append(pl.paths, p)
		}
		slices.SortFunc(pl.paths, func(a, b *planPath) int { return strings.Compare(a.Path, b.Path) })
		keys := make([]string, len(pl.paths))
		for j, p := range pl.paths {
			if j > 0 && pl.paths[j-1] == p {
				return nil, nil, fmt.Errorf("layer %d lists %s twice", i, p.Path)
			}
			keys[j] = p.key
		}
		pl.key = layerKey(mtime, keys)
		pls[i] = pl
	}
	return paths, pls, nil
}

// jobs returns the number of concurrent jobs.
func (b *Builder) jobs() int {
	if b.Jobs > 0 {
		return b.Jobs
	}
	return runtime.GOMAXPROCS(0)
}

// ensurePaths makes sure that the cache holds a complete entry for every
// path, compressing those it does not hold in parallel, largest first so
// that a large path does not start last and finish long after the others.
func (b *Builder) ensurePaths(ctx context.Context, paths []*planPath, mtime time.Time, prefix, trailer member) error {
	order := slices.Clone(paths)
	slices.SortStableFunc(order, func(x, y *planPath) int { return cmp.Compare(y.NarSize, x.NarSize) })
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(b.jobs())
	n := &counter{total: len(paths)}
	for _, p := range order {
		g.Go(func() error { return b.ensurePath(ctx, p, mtime, prefix, trailer, n) })
	}
	return g.Wait()
}

// ensurePath makes sure that the cache holds a complete entry for p,
// reading an entry in full before trusting it if p.verify is set, and
// compressing p otherwise. When p is alone in a layer that is not in the
// cache, it also computes that layer's metadata.
func (b *Builder) ensurePath(ctx context.Context, p *planPath, mtime time.Time, prefix, trailer member, n *counter) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if m, ok := b.Cache.lookupPath(p.key, p.StorePath); ok && (!p.verify || b.Cache.verifyPath(p.key, m)) {
		p.meta = m
		b.report(Event{Kind: PathReused, Path: p.Path, Bytes: m.UncompressedSize, Done: n.add(1), Total: n.total},
			func(s *Stats) { s.PathsReused++; s.BytesReused += m.UncompressedSize })
		return nil
	}
	b.report(Event{Kind: PathCompressing, Path: p.Path, Bytes: p.NarSize, Done: n.add(0), Total: n.total}, nil)
	var tee *layerTee
	if p.solo != nil {
		tee = newLayerTee(prefix)
	}
	m, err := b.Cache.compressPath(ctx, p.key, p.StorePath, p.disk, mtime, tee)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("compressing %s: %w", p.Path, err)
	}
	p.meta, p.compressed = m, true
	if tee != nil {
		lm := tee.layerMeta(prefix, trailer, m)
		p.soloMeta = &lm
	}
	b.report(Event{Kind: PathCompressed, Path: p.Path, Bytes: m.UncompressedSize, Done: n.add(1), Total: n.total},
		func(s *Stats) { s.PathsCompressed++; s.BytesCompressed += m.UncompressedSize })
	return nil
}

// layers returns the layers of pls, whose paths are all in the cache,
// computing in parallel the metadata of those that are not in the cache.
func (b *Builder) layers(ctx context.Context, pls []*planLayer, prefix, trailer member) ([]v1.Layer, error) {
	out := make([]v1.Layer, len(pls))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(b.jobs())
	n := &counter{total: len(pls)}
	for _, l := range pls {
		g.Go(func() error {
			sl, err := b.layer(ctx, l, prefix, trailer, n)
			out[l.index] = sl
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// layer returns the layer of l, from the cache if it holds l's metadata
// and none of l's paths was compressed by this call, and otherwise with
// metadata computed while compressing its only path or by reading its
// compressed paths.
func (b *Builder) layer(ctx context.Context, l *planLayer, prefix, trailer member, n *counter) (*storeLayer, error) {
	sl := newStoreLayer(b.Cache, l, prefix, trailer)
	untouched := !slices.ContainsFunc(l.paths, func(p *planPath) bool { return p.compressed })
	if l.cached != nil && untouched && l.cached.Size == sl.size {
		sl.meta = *l.cached
		b.report(Event{Kind: LayerReused, Layer: l.index, Bytes: sl.uncompressedSize(), Done: n.add(1), Total: n.total},
			func(s *Stats) { s.LayersReused++ })
		return sl, nil
	}
	if p := l.paths[0]; p.solo == l && p.soloMeta != nil {
		sl.meta = *p.soloMeta
	} else {
		m, err := sl.compute(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("computing layer %d: %w", l.index, err)
		}
		sl.meta = m
	}
	if err := writeJSON(b.Cache.layerFile(l.key), sl.meta); err != nil {
		return nil, fmt.Errorf("writing cache entry of layer %d: %w", l.index, err)
	}
	b.report(Event{Kind: LayerComputed, Layer: l.index, Bytes: sl.uncompressedSize(), Done: n.add(1), Total: n.total},
		func(s *Stats) { s.LayersComputed++ })
	return sl, nil
}
