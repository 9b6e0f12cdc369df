package storelayers

import (
	"context"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Compressor compresses planned store layers into the blob cache.
type Compressor struct {
	// Cache is nixlayer's cache directory, whose blob cache keeps every
	// store path compressed and every layer's digests.
	Cache cachedir.Dir
	// Store is where the store's files are on disk.
	Store nix.Root
	// Progress, when set, is told of every store path and layer as it is
	// compressed, reused or computed (see image.Builder.Progress).
	Progress func(image.Event)
}

// Compress compresses the store layers ls, in order, and returns them as
// an image's layers, with their store paths annotated and their history
// entries (see image.StoreLayer), and what the compression did. It looks
// up each store path's NAR hash and size in the first of closures that
// holds it: the image's closure, say, and then the catalog's, for the
// paths that a merged block brings.
//
// Store layers are dated as the store dates its files, one second after
// the epoch, whatever the pin: a store path that a new pin keeps is then
// the same blob, and a bump re-pulls only what changed.
func (c Compressor) Compress(ctx context.Context, ls []layers.Layer, closures ...*nix.Closure) ([]image.Layer, image.Stats, error) {
	paths, err := storePaths(ls, closures)
	if err != nil {
		return nil, image.Stats{}, err
	}
	cache, err := image.OpenCache(c.Cache.Blobs())
	if err != nil {
		return nil, image.Stats{}, err
	}
	b := &image.Builder{Store: c.Store, Cache: cache, Progress: c.Progress}
	stored, err := b.StoreLayers(ctx, paths)
	if err != nil {
		return nil, image.Stats{}, err
	}
	out := make([]image.Layer, len(stored))
	for i, l := range stored {
		out[i] = image.StoreLayer(l, ls[i].Kind, ls[i].Paths)
	}
	return out, b.Stats(), nil
}

// storePaths gives the layers' paths with their hashes and sizes, from
// the first of closures that holds each.
func storePaths(ls []layers.Layer, closures []*nix.Closure) ([][]image.StorePath, error) {
	out := make([][]image.StorePath, len(ls))
	for i, l := range ls {
		for _, p := range l.Paths {
			var info nix.PathInfo
			found := false
			for _, g := range closures {
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
