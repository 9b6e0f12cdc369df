package layerstest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// CheckPlan checks that plan is a valid layout of img, made by
// [layers.Plan] from the partitioning p of catalog c with p's budget:
//
//   - there are at most MaxLayers-Reserved layers, catalog layers first,
//     then partial, then extra;
//   - every layer's paths are sorted and not empty, its ID is computed
//     from them, and no path is in two layers;
//   - every path of the image is in a layer;
//   - a catalog layer is one of p's blocks, unchanged (which makes it the
//     same in every image), and every path in the closure of a catalog
//     attribute whose out path is in the image is in a catalog layer;
//   - partial and extra layers hold image paths only, partial ones from
//     the catalog;
//   - sizes and bloat add up, and bloat is 0 if p merged no groups.
//
// It returns every problem found, joined, or nil.
func CheckPlan(c layers.Catalog, p *layers.Partitioning, img layers.Image, plan *layers.ImagePlan) error {
	return newChecker(c, p).check(img, plan)
}

// checker holds what CheckPlan needs to know about a catalog and its
// partitioning, to check many plans.
type checker struct {
	p      *layers.Partitioning
	blocks map[string]layers.Block // by ID
	sizes  map[string]int64        // NAR size of every catalog path
	// attrRoots maps each catalog path to the out paths of the catalog
	// attributes whose closure contains it.
	attrRoots map[string][]string
}

func newChecker(c layers.Catalog, p *layers.Partitioning) *checker {
	ch := &checker{
		p:         p,
		blocks:    make(map[string]layers.Block, len(p.Blocks)),
		sizes:     make(map[string]int64, c.Graph.Len()),
		attrRoots: make(map[string][]string, c.Graph.Len()),
	}
	for _, b := range p.Blocks {
		ch.blocks[b.ID] = b
	}
	for _, path := range c.Graph.Paths() {
		info, _ := c.Graph.Lookup(path)
		ch.sizes[path] = info.NarSize
	}
	// A plain search from each out path, independent of the signatures
	// that Partition computes.
	roots := make(map[string]bool)
	for _, a := range c.Attrs() {
		root := c.Roots[a]
		if roots[root] {
			continue
		}
		roots[root] = true
		seen := map[string]bool{}
		stack := []string{root}
		for len(stack) > 0 {
			path := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !seen[path] {
				seen[path] = true
				ch.attrRoots[path] = append(ch.attrRoots[path], root)
				stack = append(stack, c.Graph.References(path)...)
			}
		}
	}
	return ch
}

func (ch *checker) check(img layers.Image, plan *layers.ImagePlan) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	budget := ch.p.Budget
	if n, limit := len(plan.Layers), budget.MaxLayers-budget.Reserved; n > limit {
		fail("%d store layers, more than the %d that MaxLayers %d and Reserved %d allow", n, limit, budget.MaxLayers, budget.Reserved)
	}
	imgPaths := img.Graph.Paths()
	inImage := make(map[string]int64, len(imgPaths)) // path → NAR size
	for _, path := range imgPaths {
		if size, ok := ch.sizes[path]; ok {
			inImage[path] = size
		} else {
			info, _ := img.Graph.Lookup(path)
			inImage[path] = info.NarSize
		}
	}
	rank := map[string]int{layers.KindCatalog: 0, layers.KindPartial: 1, layers.KindExtra: 2}
	layerOf := make(map[string]int, len(inImage)) // path → layer index
	var bloat int64
	for i, l := range plan.Layers {
		r, ok := rank[l.Kind]
		if !ok {
			fail("layer %d has kind %q", i, l.Kind)
		} else if i > 0 && r < rank[plan.Layers[i-1].Kind] {
			fail("layer %d (%s) comes after a %s layer", i, l.Kind, plan.Layers[i-1].Kind)
		}
		if len(l.Paths) == 0 {
			fail("layer %d has no paths", i)
			continue
		}
		if !slices.IsSorted(l.Paths) {
			fail("layer %d: paths are not sorted", i)
		}
		if id := pathsID(l.Paths); l.ID != id {
			fail("layer %d: ID %s, want %s from its paths", i, l.ID, id)
		}
		var sum, missing int64
		for _, path := range l.Paths {
			if j, dup := layerOf[path]; dup {
				fail("%s is in layers %d and %d", path, j, i)
			}
			layerOf[path] = i
			size, ok := inImage[path]
			if !ok {
				size = ch.sizes[path]
				missing += size
				if l.Kind != layers.KindCatalog {
					fail("layer %d (%s) has %s, which is not in the image", i, l.Kind, path)
				}
			}
			sum += size
		}
		if l.Size != sum || l.Bloat != missing {
			fail("layer %d: size %d and bloat %d, want %d and %d", i, l.Size, l.Bloat, sum, missing)
		}
		bloat += l.Bloat
		switch l.Kind {
		case layers.KindCatalog:
			b, ok := ch.blocks[l.Block]
			if !ok || l.ID != l.Block || !slices.Equal(l.Paths, b.Paths) || !slices.Equal(l.Attrs, b.Attrs) {
				fail("catalog layer %d (%s) is not block %s of the partitioning", i, l.ID, l.Block)
			}
		case layers.KindPartial:
			if b, ok := ch.blocks[l.Block]; l.Block != "" && (!ok || !isSubset(l.Paths, b.Paths)) {
				fail("partial layer %d has paths outside its block %s", i, l.Block)
			}
		}
		if l.Kind == layers.KindCatalog {
			continue
		}
		for _, path := range l.Paths {
			if _, ok := ch.sizes[path]; !ok {
				if l.Kind == layers.KindPartial {
					fail("partial layer %d has %s, which is not in the catalog", i, path)
				}
				continue
			}
			for _, root := range ch.attrRoots[path] {
				if _, ok := inImage[root]; ok {
					fail("%s is in the closure of catalog out path %s, which is in the image, but in %s layer %d", path, root, l.Kind, i)
					break
				}
			}
		}
	}
	for _, path := range imgPaths {
		if _, ok := layerOf[path]; !ok {
			fail("%s is in the image but in no layer", path)
		}
	}
	if plan.Bloat != bloat {
		fail("plan bloat %d, want the layers' total %d", plan.Bloat, bloat)
	}
	if len(ch.p.Merges) == 0 && plan.Bloat != 0 {
		fail("bloat %d although the partitioning merged no groups", plan.Bloat)
	}
	if len(errs) > 10 {
		errs = append(errs[:10], fmt.Errorf("and %d more problems", len(errs)-10))
	}
	return errors.Join(errs...)
}

// pathsID computes a layer ID as documented at [layers.Block.ID].
func pathsID(paths []string) string {
	h := sha256.New()
	for _, p := range paths {
		h.Write([]byte(p + "\n"))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// isSubset reports whether the sorted slice a is a subset of the sorted
// slice b.
func isSubset(a, b []string) bool {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			return false
		}
	}
	return true
}
