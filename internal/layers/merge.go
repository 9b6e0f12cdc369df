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
	// FromAttrs and FromSizes hold the signature and NAR size of each of
	// the two, in the order of From: with them, Cost can be checked.
	FromAttrs [][]string `json:"fromAttrs"`
	FromSizes []int64    `json:"fromSizes"`
	// Attrs is the signature of the result: the union of the two
	// signatures.
	Attrs []string `json:"attrs"`
	// Size is the NAR size of the result, in bytes.
	Size int64 `json:"size"`
	// Cost is the expected bloat that made this the cheapest merge:
	// Size(A)·|Attrs(B)∖Attrs(A)| + Size(B)·|Attrs(A)∖Attrs(B)|, the bytes of
	// one part weighted by the number of attributes that bring in the
	// result without needing that part.
	Cost int64 `json:"cost"`
}

// mergeCost returns the expected bloat of merging a and b (see
// [Merge.Cost]), saturating at math.MaxInt64.
func mergeCost(a, b *unit) int64 {
	return addSat(mulSat(a.size, int64(b.attrs.lenMinus(a.attrs))), mulSat(b.size, int64(a.attrs.lenMinus(b.attrs))))
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
// record of each merge. units must be sorted by [byFirstPath]; names holds
// the attribute names for the records.
//
// Each step merges the pair with the least [mergeCost]; among equal costs,
// the pair whose result is smallest; among those, the pair whose first
// paths come first. The choice depends only on the units, so the same
// input always gives the same merges.
//
// A step costs O(n²) comparisons of cached costs and O(n) new costs, so
// reducing n units to limit costs O(n³) at worst: about 10⁷ steps for 300
// units.
func mergeUnits(units []*unit, limit int, names []string) ([]*unit, []Merge) {
	if len(units) <= limit {
		return units, nil
	}
	units = slices.Clone(units)
	n := len(units)
	cost := make([][]int64, n) // cost[i][j] for i < j
	for i := range units {
		cost[i] = make([]int64, n)
		for j := i + 1; j < n; j++ {
			cost[i][j] = mergeCost(units[i], units[j])
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
				if bi < 0 || cost[i][j] < cost[bi][bj] ||
					cost[i][j] == cost[bi][bj] && units[i].size+units[j].size < units[bi].size+units[bj].size {
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
			FromSizes: []int64{a.size, b.size},
			Attrs:     m.attrs.names(names),
			Size:      m.size,
			Cost:      cost[bi][bj],
		})
		units[bi], units[bj] = m, nil
		for k := range units {
			switch {
			case units[k] == nil || k == bi:
			case k < bi:
				cost[k][bi] = mergeCost(units[k], m)
			default:
				cost[bi][k] = mergeCost(m, units[k])
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
		size:   addSat(a.size, b.size),
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
