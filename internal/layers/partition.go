package layers

import (
	"fmt"
	"slices"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// Partitioning divides the store paths of a [Catalog] into blocks that
// travel together in every image. [Partition] makes it once per catalog;
// [Plan] then lays out any number of images from it, concurrently if need
// be. Plan relies on the blocks as Partition made them: do not modify a
// Partitioning.
type Partitioning struct {
	// Blocks holds the catalog's blocks in layer order: most attributes
	// first, then by ID. Every catalog path is in exactly one block.
	Blocks []Block `json:"blocks"`
	// Signatures is the number of distinct signatures of catalog paths.
	Signatures int `json:"signatures"`
	// SetSignatures is the number of distinct sets of [Set] that bring in
	// a catalog path: paths that the same sets bring in are in the same
	// images made of sets, so that many blocks (and the large paths
	// alone) leave such images without bloat.
	SetSignatures int `json:"setSignatures"`
	// Groups is the number of signature groups before merging: one per
	// signature, plus one for each large path split off a group.
	Groups int `json:"groups"`
	// Merges records, in order, the merges that brought Groups down to the
	// budget.
	Merges []Merge `json:"merges"`
	// Budget is the budget the blocks were made for, defaults filled in.
	Budget Budget `json:"budget"`

	index *index // nil unless made by Partition
}

// Block is a set of catalog paths that every image has all or none of as
// a catalog layer.
type Block struct {
	// ID identifies the block by its paths: "sha256:" and the hex SHA-256
	// of the sorted paths, each followed by a newline. It is the same in
	// every image and for every pin whose block holds the same paths.
	ID string `json:"id"`
	// Paths holds the block's store paths, sorted.
	Paths []string `json:"paths"`
	// Attrs is the block's signature, sorted: the union of the signatures
	// of its groups, that is the catalog attributes whose closure
	// contains one of its paths.
	Attrs []string `json:"attrs"`
	// Size is the sum of the NAR sizes of the paths, in bytes.
	Size int64 `json:"size"`
	// Groups is the number of signature groups merged into the block; 1
	// means none was merged.
	Groups int `json:"groups"`
}

// index is what Plan looks up in a Partitioning.
type index struct {
	attrs      []string               // catalog attributes, sorted
	rootAttrs  map[string][]int       // out path → indices of the attributes it is the out path of
	paths      map[string]catalogPath // every catalog path
	blockAttrs []attrSet              // signature of each block
}

// catalogPath is what the index knows about one catalog path.
type catalogPath struct {
	block int
	sig   attrSet
	size  int64
	hash  string
}

// Partition divides the catalog's store paths into blocks, with no more
// than b.MaxLayers-b.Reserved-1 blocks (one store layer is kept for what
// is outside the catalog). It depends on no image, only on the catalog,
// the budget and the sets that images are made of.
//
// The signature of a path is the set of catalog attributes whose closure
// contains it. Paths with the same signature form a group, except that a
// path of at least b.LargePath bytes gets a group of its own. If there are
// too many groups, Partition merges the pair with the least expected bloat
// until the blocks fit: the bloat for the sets that bring in one part
// without needing it (see [Merge.Cost]; an attribute in no set counts as
// a set of its own), then for the attributes; a merge that puts a large
// path with others comes after every merge that costs the sets nothing.
// With no sets, every attribute is a set of its own. The package
// documentation works through an example.
func Partition(c Catalog, b Budget, sets ...Set) (*Partitioning, error) {
	p, err := partition(c, b, sets, bySets)
	if err != nil {
		return nil, fmt.Errorf("partitioning catalog: %w", err)
	}
	return p, nil
}

func partition(c Catalog, b Budget, sets []Set, r rule) (*Partitioning, error) {
	b, err := b.resolve()
	if err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	attrs := c.Attrs()
	use, err := newUsage(attrs, sets)
	if err != nil {
		return nil, err
	}
	idx := &index{
		attrs:     attrs,
		rootAttrs: make(map[string][]int),
		paths:     make(map[string]catalogPath, c.Graph.Len()),
	}
	for i, a := range attrs {
		idx.rootAttrs[c.Roots[a]] = append(idx.rootAttrs[c.Roots[a]], i)
	}

	sigs := signatures(c.Graph, idx.rootAttrs, len(attrs))
	size := func(p string) int64 { return idx.paths[p].size }
	var groups []*unit
	byKey := make(map[string]*unit)
	setSigs := make(map[string]bool)
	for _, p := range c.Graph.Paths() { // sorted, so each group's paths are
		info, _ := c.Graph.Lookup(p)
		idx.paths[p] = catalogPath{sig: sigs[p], size: info.NarSize, hash: info.NarHash}
		k := sigs[p].key()
		g := byKey[k]
		if g == nil {
			g = &unit{attrs: sigs[p], uses: use.of(sigs[p]), groups: 1, block: -1}
			byKey[k] = g
			groups = append(groups, g)
			setSigs[g.uses.key()] = true
		}
		g.paths = append(g.paths, p)
		g.size += info.NarSize
	}
	groups = sortUnits(splitLarge(groups, b, size), byFirstPath)
	blocks, merges := mergeUnits(groups, b.storeLayers()-1, attrs, use.names, r)
	blocks = sortUnits(blocks, layerOrder)

	part := &Partitioning{
		Blocks:        make([]Block, len(blocks)),
		Signatures:    len(byKey),
		SetSignatures: len(setSigs),
		Groups:        len(groups),
		Merges:        merges,
		Budget:        b,
		index:         idx,
	}
	for i, u := range blocks {
		part.Blocks[i] = Block{ID: u.ID(), Paths: u.paths, Attrs: u.attrs.names(attrs), Size: u.size, Groups: u.groups}
		idx.blockAttrs = append(idx.blockAttrs, u.attrs)
		for _, p := range u.paths {
			e := idx.paths[p]
			e.block = i
			idx.paths[p] = e
		}
	}
	return part, nil
}

// signatures returns the signature of every path of graph: the set of
// attributes (by index, among n) whose out path's closure contains it.
// rootAttrs maps an out path to its attributes. A path's signature is its
// own attributes plus the signatures of the paths that refer to it, so one
// pass from referrers to references computes them all.
func signatures(graph *nix.Closure, rootAttrs map[string][]int, n int) map[string]attrSet {
	sigs := make(map[string]attrSet, graph.Len())
	topo := graph.TopoSort()
	for _, p := range slices.Backward(topo) {
		s := newAttrSet(n)
		for _, a := range rootAttrs[p] {
			s.add(a)
		}
		for _, r := range graph.Referrers(p) {
			s.addAll(sigs[r])
		}
		sigs[p] = s
	}
	return sigs
}
