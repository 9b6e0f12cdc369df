package layers

import (
	"math"
	"slices"
)

// Merge records that the budget forced two blocks or layers together.
type Merge struct {
	// Into is the ID of the merged result.
	Into string `json:"into"`
	// From holds the IDs of the two merged blocks or layers, the one with
	// the lexically smaller first path first. An ID may be the Into of an
	// earlier merge.
	From []string `json:"from"`
	// FromAttrs, FromSets and FromSizes hold the signature, the sets
	// that bring it in and the NAR size of each of the two, in the order
	// of From: with them, Cost and AttrCost can be checked.
	FromAttrs [][]string `json:"fromAttrs"`
	FromSets  [][]string `json:"fromSets"`
	FromSizes []int64    `json:"fromSizes"`
	// Attrs is the signature of the result: the union of the two
	// signatures.
	Attrs []string `json:"attrs"`
	// Size is the NAR size of the result, in bytes.
	Size int64 `json:"size"`
	// Cost is the expected bloat that made this the cheapest merge:
	// Size(A)·|Sets(B)∖Sets(A)| + Size(B)·|Sets(A)∖Sets(B)|, the bytes of
	// one part weighted by the number of sets that bring in the result
	// without needing that part. Each attribute in no set counts as a set
	// of its own.
	Cost int64 `json:"cost"`
	// AttrCost is the same sum weighted by attributes rather than sets:
	// Size(A)·|Attrs(B)∖Attrs(A)| + Size(B)·|Attrs(A)∖Attrs(B)|. It
	// decides between merges of the same Cost.
	AttrCost int64 `json:"attrCost"`
}

// price is what merging two units costs. Merges are taken cheapest first:
// by tier, then by set cost, then by attribute cost (see [Merge]).
type price struct {
	// tier is 0 for a merge that no set pays for (set cost 0) and that
	// leaves every large path in a unit of its own, 1 for one that no
	// set pays for but that puts a large path with others, and 2 for the
	// rest: the large-path split is undone only when no other free merge
	// is left.
	tier  int
	sets  int64
	attrs int64
}

// compare orders prices, cheapest first.
func (p price) compare(q price) int {
	switch {
	case p.tier != q.tier:
		return p.tier - q.tier
	case p.sets != q.sets:
		return cmpInt64(p.sets, q.sets)
	default:
		return cmpInt64(p.attrs, q.attrs)
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rule says how mergeUnits prices a merge.
type rule int

const (
	// bySets prices a merge by the sets that would bring in a part
	// without needing it, then by attributes, and keeps large paths
	// apart while free merges are left: [Partition] and [Plan] use it.
	bySets rule = iota
	// byAttrs prices a merge by attributes alone, and nothing else, as
	// the planner did before it knew the sets; the benchmarks measure it
	// as a peer.
	byAttrs
)

// mergeCost returns the price of merging a and b under r.
func mergeCost(a, b *unit, r rule) price {
	attrs := crossCost(a.size, a.attrs, b.size, b.attrs)
	if r == byAttrs {
		return price{sets: attrs}
	}
	p := price{sets: crossCost(a.size, a.uses, b.size, b.uses), attrs: attrs}
	switch {
	case p.sets > 0:
		p.tier = 2
	case a.large || b.large:
		p.tier = 1
	}
	return p
}

// crossCost returns sizeA·|b∖a| + sizeB·|a∖b|, saturating at
// math.MaxInt64.
func crossCost(sizeA int64, a attrSet, sizeB int64, b attrSet) int64 {
	return addSat(mulSat(sizeA, int64(b.lenMinus(a))), mulSat(sizeB, int64(a.lenMinus(b))))
}

func mulSat(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// mergeUnits merges units two at a time until at most limit remain, and
// returns the remaining units, in the order of their first paths, with a
// record of each merge. units must be sorted by [byFirstPath]; names and
// setNames hold the names of the attributes and of the sets, for the
// records.
//
// Each step merges the pair with the least [mergeCost] under r; among
// equal prices, the pair whose result is smallest; among those, the pair
// whose first paths come first. The choice depends only on the units, so
// the same input always gives the same merges.
//
// A step costs O(n²) comparisons of cached prices and O(n) new prices, so
// reducing n units to limit costs O(n³) at worst: about 10⁷ steps for 300
// units.
func mergeUnits(units []*unit, limit int, names, setNames []string, r rule) ([]*unit, []Merge) {
	if len(units) <= limit {
		return units, nil
	}
	units = slices.Clone(units)
	n := len(units)
	cost := make([][]price, n) // cost[i][j] for i < j
	for i := range units {
		cost[i] = make([]price, n)
		for j := i + 1; j < n; j++ {
			cost[i][j] = mergeCost(units[i], units[j], r)
		}
	}
	var merges []Merge
	for alive := n; alive > limit; alive-- {
		bi, bj := -1, -1
		for i := range units {
			if units[i] == nil {
				continue
			}
			for j := i + 1; j < n; j++ {
				if units[j] == nil {
					continue
				}
				if bi < 0 {
					bi, bj = i, j
					continue
				}
				c := cost[i][j].compare(cost[bi][bj])
				if c < 0 || c == 0 && units[i].size+units[j].size < units[bi].size+units[bj].size {
					bi, bj = i, j
				}
			}
		}
		a, b := units[bi], units[bj]
		m := combine(a, b)
		merges = append(merges, Merge{
			Into:      m.ID(),
			From:      []string{a.ID(), b.ID()},
			FromAttrs: [][]string{a.attrs.names(names), b.attrs.names(names)},
			FromSets:  [][]string{a.uses.names(setNames), b.uses.names(setNames)},
			FromSizes: []int64{a.size, b.size},
			Attrs:     m.attrs.names(names),
			Size:      m.size,
			Cost:      crossCost(a.size, a.uses, b.size, b.uses),
			AttrCost:  crossCost(a.size, a.attrs, b.size, b.attrs),
		})
		units[bi], units[bj] = m, nil
		for k := range units {
			switch {
			case units[k] == nil || k == bi:
			case k < bi:
				cost[k][bi] = mergeCost(units[k], m, r)
			default:
				cost[bi][k] = mergeCost(m, units[k], r)
			}
		}
	}
	return slices.DeleteFunc(units, func(u *unit) bool { return u == nil }), merges
}

// combine returns the union of two units. The result is a partial layer
// if both are, an extra layer if either is, and a block otherwise; it
// belongs to a block only if both parts belong to that block.
func combine(a, b *unit) *unit {
	m := &unit{
		paths:  mergeSorted(a.paths, b.paths),
		attrs:  a.attrs.union(b.attrs),
		uses:   a.uses.union(b.uses),
		size:   addSat(a.size, b.size),
		large:  a.large || b.large,
		groups: a.groups + b.groups,
		kind:   a.kind,
		block:  a.block,
	}
	if b.kind == KindExtra {
		m.kind = KindExtra
	}
	if a.block != b.block {
		m.block = -1
	}
	return m
}

// mergeSorted returns the sorted union of two sorted, disjoint slices.
func mergeSorted(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}
