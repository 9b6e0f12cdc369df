package nix

import (
	"container/heap"
	"fmt"
	"math"
	"slices"
)

// Closure is a set of store paths closed under references: the graph of a
// "nix path-info --recursive" result. Its methods return fresh slices that
// the caller may modify. A Closure is immutable and safe for concurrent use.
//
// A path referring to itself is common in Nix (a binary whose RPATH names
// its own lib directory). [Closure.References] and [Closure.Referrers]
// leave such self-references out, since they carry no ordering; the
// [PathInfo] returned by [Closure.Lookup] keeps them.
type Closure struct {
	paths     []string // sorted
	topo      []string
	infos     map[string]PathInfo
	refs      map[string][]string // sorted, without self-references
	referrers map[string][]string // sorted, without self-references
	total     int64
}

// NewClosure builds a Closure from infos, in any order. It fails if two
// infos have the same path, if a reference points outside the set (an
// "incomplete closure"), if references form a cycle other
// than a self-reference (which Nix never produces), or if the sizes
// overflow int64.
func NewClosure(infos []PathInfo) (*Closure, error) {
	c := &Closure{
		infos:     make(map[string]PathInfo, len(infos)),
		refs:      make(map[string][]string, len(infos)),
		referrers: make(map[string][]string, len(infos)),
	}
	for _, info := range infos {
		if _, dup := c.infos[info.Path]; dup {
			return nil, fmt.Errorf("closure: duplicate path %s", info.Path)
		}
		if info.NarSize < 0 || c.total > math.MaxInt64-info.NarSize {
			return nil, fmt.Errorf("closure: narSize %d of %s is negative or overflows the total", info.NarSize, info.Path)
		}
		c.total += info.NarSize
		info.References = slices.Clone(info.References)
		c.infos[info.Path] = info
		c.paths = append(c.paths, info.Path)
	}
	slices.Sort(c.paths)
	for _, p := range c.paths {
		refs := slices.Compact(slices.Sorted(slices.Values(c.infos[p].References)))
		refs = slices.DeleteFunc(refs, func(r string) bool { return r == p })
		for _, r := range refs {
			if _, ok := c.infos[r]; !ok {
				return nil, fmt.Errorf("incomplete closure: %s refers to %s, which is not in the set", p, r)
			}
			c.referrers[r] = append(c.referrers[r], p) // p ascends, so this stays sorted
		}
		c.refs[p] = refs
	}
	topo, err := c.topoSort()
	if err != nil {
		return nil, err
	}
	c.topo = topo
	return c, nil
}

// Len returns the number of paths in the closure.
func (c *Closure) Len() int { return len(c.paths) }

// Paths returns every path of the closure, sorted.
func (c *Closure) Paths() []string { return slices.Clone(c.paths) }

// Lookup returns the metadata of path p, and whether p is in the closure.
func (c *Closure) Lookup(p string) (PathInfo, bool) {
	info, ok := c.infos[p]
	info.References = slices.Clone(info.References)
	return info, ok
}

// Total returns the sum of the NAR sizes of all paths, in bytes.
func (c *Closure) Total() int64 { return c.total }

// References returns the paths that p refers to, sorted, without p itself.
// It returns nil if p is not in the closure.
func (c *Closure) References(p string) []string { return slices.Clone(c.refs[p]) }

// Referrers returns the paths that refer to p, sorted, without p itself.
// It returns nil if p is not in the closure or nothing refers to it.
func (c *Closure) Referrers(p string) []string { return slices.Clone(c.referrers[p]) }

// Roots returns the paths that no other path refers to, sorted. For the
// result of [Driver.PathInfo], each root is one of the paths asked about.
func (c *Closure) Roots() []string {
	var roots []string
	for _, p := range c.paths {
		if len(c.referrers[p]) == 0 {
			roots = append(roots, p)
		}
	}
	return roots
}

// TopoSort returns every path, each after all the paths it refers to
// (dependencies first). Among the paths whose dependencies are all listed,
// the lexically smallest comes next, so the order depends only on the graph.
func (c *Closure) TopoSort() []string { return slices.Clone(c.topo) }

// topoSort computes the order TopoSort returns with Kahn's algorithm.
func (c *Closure) topoSort() ([]string, error) {
	pending := make(map[string]int, len(c.paths)) // references not yet emitted
	ready := &stringHeap{}
	for _, p := range c.paths {
		pending[p] = len(c.refs[p])
		if pending[p] == 0 {
			heap.Push(ready, p)
		}
	}
	order := make([]string, 0, len(c.paths))
	for ready.Len() > 0 {
		p := heap.Pop(ready).(string)
		order = append(order, p)
		for _, r := range c.referrers[p] {
			pending[r]--
			if pending[r] == 0 {
				heap.Push(ready, r)
			}
		}
	}
	if len(order) < len(c.paths) {
		return nil, fmt.Errorf("closure: reference cycle through %s", c.cycleMember(pending))
	}
	return order, nil
}

// cycleMember returns a path on a reference cycle, given the pending counts
// left by an unfinished topoSort. Every path left pending refers to another
// path left pending, so following such references must come back round.
func (c *Closure) cycleMember(pending map[string]int) string {
	var p string
	for _, q := range c.paths {
		if pending[q] > 0 {
			p = q
			break
		}
	}
	seen := make(map[string]bool)
	for !seen[p] {
		seen[p] = true
		for _, r := range c.refs[p] {
			if pending[r] > 0 {
				p = r
				break
			}
		}
	}
	return p
}

// stringHeap is a min-heap of strings for container/heap.
type stringHeap []string

func (h stringHeap) Len() int           { return len(h) }
func (h stringHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h stringHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *stringHeap) Push(x any)        { *h = append(*h, x.(string)) }
func (h *stringHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Sub returns the closure of roots inside c: the paths they refer to,
// directly or not, and themselves. A root outside c is an error ("incomplete
// closure: … is not in the closure").
//
// It takes c's sorted references and order rather than building the
// closure again: since a path of the sub-closure refers only to paths of
// it, the paths of c's TopoSort that are in the sub-closure are in the
// order the sub-closure's own TopoSort gives.
func (c *Closure) Sub(roots ...string) (*Closure, error) {
	in := make(map[string]bool, len(roots))
	todo := slices.Clone(roots)
	for len(todo) > 0 {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if in[p] {
			continue
		}
		if _, ok := c.infos[p]; !ok {
			return nil, fmt.Errorf("incomplete closure: %s is not in the closure", p)
		}
		in[p] = true
		todo = append(todo, c.refs[p]...)
	}
	keep := func(paths []string) []string {
		var kept []string
		for _, p := range paths {
			if in[p] {
				kept = append(kept, p)
			}
		}
		return kept
	}
	sub := &Closure{
		paths:     keep(c.paths),
		topo:      keep(c.topo),
		infos:     make(map[string]PathInfo, len(in)),
		refs:      make(map[string][]string, len(in)),
		referrers: make(map[string][]string, len(in)),
	}
	for _, p := range sub.paths {
		info := c.infos[p]
		sub.infos[p] = info
		sub.total += info.NarSize
		// The slices are never changed, so the sub-closure shares them.
		sub.refs[p] = c.refs[p]
		if r := keep(c.referrers[p]); r != nil {
			sub.referrers[p] = r
		}
	}
	return sub, nil
}
