package layers

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// The kinds of [Layer].
const (
	// KindCatalog is a whole block of the partitioning.
	KindCatalog = "catalog"
	// KindPartial is the part of a block that the image reaches only
	// through attributes outside the catalog.
	KindPartial = "partial"
	// KindExtra holds paths outside the catalog.
	KindExtra = "extra"
)

// Image is what [Plan] lays out: the attributes of one image and their
// closure.
type Image struct {
	// Roots maps every attribute of the image, from the catalog or not,
	// to its out path.
	Roots map[string]string
	// Graph is the closure of the out paths in Roots, and nothing else.
	Graph *nix.Closure
}

// ImagePlan is the store layers of one image.
type ImagePlan struct {
	// Layers holds the store layers in image order: catalog layers, then
	// partial layers, then extra layers. There are never more than
	// MaxLayers-Reserved.
	Layers []Layer `json:"layers"`
	// Bloat is the NAR size of the paths in Layers that are not in the
	// image's closure, in bytes. It is 0 unless Partition merged groups.
	Bloat int64 `json:"bloat"`
	// Merges records the merges of partial and extra layers that the
	// budget forced, in order.
	Merges []Merge `json:"merges"`
	// CatalogAttrs holds, sorted, the catalog attributes whose out path is
	// in the image's closure: the attributes that bring in whole blocks.
	CatalogAttrs []string `json:"catalogAttrs"`
}

// Layer is one store layer of an image.
type Layer struct {
	// Kind is [KindCatalog], [KindPartial] or [KindExtra].
	Kind string `json:"kind"`
	// ID identifies the layer by its paths, as [Block.ID] does; for a
	// catalog layer it is the block's ID.
	ID string `json:"id"`
	// Block is the ID of the block that a catalog or partial layer comes
	// from; it is empty for an extra layer and for a partial layer merged
	// from several blocks.
	Block string `json:"block,omitempty"`
	// Paths holds the layer's store paths, sorted.
	Paths []string `json:"paths"`
	// Attrs is the layer's signature, sorted. For a catalog layer it is
	// the block's Attrs, the same in every image. For partial and extra
	// layers it is the image's attributes outside the catalog whose
	// closure contains one of the paths.
	Attrs []string `json:"attrs"`
	// Size is the sum of the NAR sizes of Paths, in bytes.
	Size int64 `json:"size"`
	// Bloat is the NAR size of the Paths that are not in the image's
	// closure, in bytes.
	Bloat int64 `json:"bloat"`
}

// errNoPartitioning is the error of Plan for a Partitioning that Partition
// did not make.
var errNoPartitioning = errors.New("the partitioning was not made by Partition")

// Plan lays out the store paths of img in layers, given the catalog's
// partitioning p and the budget b (normally the one p was made for).
//
// An image includes a block whole, as a catalog layer, when the block's
// signature contains a catalog attribute whose out path is in the image's
// closure. A catalog layer is therefore the same in every image that has
// it. Image paths in blocks that are not included go to partial layers,
// one per block; paths outside the catalog go to extra layers, grouped by
// signature among the image's other attributes, large paths alone. If the
// layers exceed b.MaxLayers-b.Reserved, Plan merges partial and extra
// layers, never catalog ones, as [Partition] merges groups.
//
// Plan fails if the image's graph is not the closure of its roots, if a
// path has another size or hash than in the catalog, or if the catalog
// layers alone leave no room for the rest.
func Plan(img Image, p *Partitioning, b Budget) (*ImagePlan, error) {
	out, err := planImage(img, p, b)
	if err != nil {
		return nil, fmt.Errorf("planning image layers: %w", err)
	}
	return out, nil
}

func planImage(img Image, p *Partitioning, b Budget) (*ImagePlan, error) {
	b, err := b.resolve()
	if err != nil {
		return nil, err
	}
	if p == nil || p.index == nil {
		return nil, errNoPartitioning
	}
	if err := checkRoots("image", img.Roots, img.Graph); err != nil {
		return nil, err
	}
	idx := p.index
	paths := img.Graph.Paths()
	sizes := make([]int64, len(paths))
	present := make([]int64, len(p.Blocks)) // NAR size of each block's paths in the image
	have := newAttrSet(len(idx.attrs))      // R: catalog attributes whose out path is in the image
	for i, path := range paths {
		info, _ := img.Graph.Lookup(path)
		sizes[i] = info.NarSize
		e, ok := idx.paths[path]
		if !ok {
			continue
		}
		if info.NarSize != e.size || info.NarHash != e.hash {
			return nil, fmt.Errorf("%s has NAR size %d and hash %q in the image but %d and %q in the catalog",
				path, info.NarSize, info.NarHash, e.size, e.hash)
		}
		present[e.block] += e.size
		for _, a := range idx.rootAttrs[path] {
			have.add(a)
		}
	}

	out := &ImagePlan{CatalogAttrs: have.names(idx.attrs)}
	included := make([]bool, len(p.Blocks))
	for i, blk := range p.Blocks {
		if !idx.blockAttrs[i].intersects(have) {
			continue
		}
		included[i] = true
		out.Layers = append(out.Layers, Layer{
			Kind:  KindCatalog,
			ID:    blk.ID,
			Block: blk.ID,
			Paths: slices.Clone(blk.Paths),
			Attrs: slices.Clone(blk.Attrs),
			Size:  blk.Size,
			Bloat: blk.Size - present[i],
		})
		out.Bloat += blk.Size - present[i]
	}

	rest, others, err := restUnits(img, p, b, paths, sizes, included, have)
	if err != nil {
		return nil, err
	}
	room := b.storeLayers() - len(out.Layers)
	if room < 0 || room == 0 && len(rest) > 0 {
		return nil, fmt.Errorf("the image needs %d catalog layers and %d more, but the budget allows %d store layers",
			len(out.Layers), min(len(rest), 1), b.storeLayers())
	}
	rest, out.Merges = mergeUnits(rest, room, others, others, bySets)
	slices.SortFunc(rest, func(a, b *unit) int {
		if a.kind != b.kind {
			return strings.Compare(b.kind, a.kind) // "partial" before "extra"
		}
		return layerOrder(a, b)
	})
	for _, u := range rest {
		l := Layer{Kind: u.kind, ID: u.ID(), Paths: u.paths, Attrs: u.attrs.names(others), Size: u.size}
		if u.block >= 0 {
			l.Block = p.Blocks[u.block].ID
		}
		out.Layers = append(out.Layers, l)
	}
	return out, nil
}

// restUnits returns the units of the image paths that no catalog layer
// holds, in the order of their first paths, and the names of the image's
// attributes that their signatures refer to: the roots whose out path is
// not a catalog out path. paths and sizes list the image's paths; included
// tells which blocks are catalog layers; have is R.
func restUnits(img Image, p *Partitioning, b Budget, paths []string, sizes []int64, included []bool, have attrSet) ([]*unit, []string, error) {
	idx := p.index
	var others []string
	for _, attr := range slices.Sorted(maps.Keys(img.Roots)) {
		if _, ok := idx.rootAttrs[img.Roots[attr]]; !ok {
			others = append(others, attr)
		}
	}
	if len(others) == 0 {
		return nil, nil, nil // every path is in the closure of R
	}

	// The signature of every path that R does not cover.
	sigs := make(map[string]attrSet)
	for i, attr := range others {
		seen := map[string]bool{}
		stack := []string{img.Roots[attr]}
		for len(stack) > 0 {
			path := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[path] {
				continue
			}
			seen[path] = true
			if e, ok := idx.paths[path]; ok && e.sig.intersects(have) {
				continue // in the closure of R, and so is what it refers to
			}
			s := sigs[path]
			if s == nil {
				s = newAttrSet(len(others))
				sigs[path] = s
			}
			s.add(i)
			stack = append(stack, img.Graph.References(path)...)
		}
	}

	partial := make(map[int]*unit)
	extraByKey := make(map[string]*unit)
	extraSize := make(map[string]int64)
	var units, extras []*unit
	for i, path := range paths {
		e, inCatalog := idx.paths[path]
		if inCatalog && included[e.block] {
			continue
		}
		sig := sigs[path]
		if sig == nil {
			return nil, nil, fmt.Errorf("%s is outside the catalog layers but in the closure of no attribute outside the catalog", path)
		}
		var u *unit
		if inCatalog {
			if u = partial[e.block]; u == nil {
				u = &unit{attrs: newAttrSet(len(others)), kind: KindPartial, block: e.block, groups: 1}
				partial[e.block] = u
				units = append(units, u)
			}
			u.attrs.addAll(sig)
			u.large = u.large || b.isLarge(sizes[i])
		} else {
			extraSize[path] = sizes[i]
			k := sig.key()
			if u = extraByKey[k]; u == nil {
				u = &unit{attrs: sig, kind: KindExtra, block: -1, groups: 1}
				extraByKey[k] = u
				extras = append(extras, u)
			}
		}
		u.paths = append(u.paths, path)
		u.size += sizes[i]
	}
	units = append(units, splitLarge(extras, b, func(p string) int64 { return extraSize[p] })...)
	for _, u := range units {
		u.uses = u.attrs // each attribute outside the catalog is a set of its own
	}
	return sortUnits(units, byFirstPath), others, nil
}
