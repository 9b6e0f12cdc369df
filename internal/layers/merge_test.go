package layers

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testUnit returns a unit of the named paths, the given size and the
// attribute indices, among 8, each attribute a set of its own.
func testUnit(paths string, size int64, attrs ...int) *unit {
	s := newAttrSet(8)
	for _, a := range attrs {
		s.add(a)
	}
	return &unit{paths: sps(strings.Fields(paths)...), attrs: s, uses: s, size: size, groups: 1, block: -1}
}

// inSets returns u brought in by the set indices, among 8, rather than by
// its attributes.
func inSets(u *unit, sets ...int) *unit {
	u.uses = newAttrSet(8)
	for _, s := range sets {
		u.uses.add(s)
	}
	return u
}

// large returns u, marked as holding a large path.
func large(u *unit) *unit {
	u.large = true
	return u
}

var (
	attrNames = []string{"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"}
	// setNames name the sets of the units: 0 to 3 are each attribute's
	// own set, named after it as Partition does; inSets uses 4 to 7.
	setNames = []string{"a0", "a1", "a2", "a3", "s4", "s5", "s6", "s7"}
)

func TestMergeCost(t *testing.T) {
	tests := []struct {
		name string
		a, b *unit
		want price
		old  int64 // the price by attributes alone
	}{
		{"same signature", testUnit("x", 100, 0, 1), testUnit("y", 5, 0, 1), price{}, 0},
		{"subset", testUnit("x", 100, 0), testUnit("y", 5, 0, 1, 2), price{2, 100 * 2, 100 * 2}, 100 * 2},
		{"disjoint", testUnit("x", 100, 0), testUnit("y", 5, 1, 2), price{2, 100*2 + 5*1, 100*2 + 5*1}, 100*2 + 5*1},
		{"overlapping", testUnit("x", 7, 0, 1, 2), testUnit("y", 3, 2, 3), price{2, 7*1 + 3*2, 7*1 + 3*2}, 7*1 + 3*2},
		{"saturates", testUnit("x", math.MaxInt64/2, 0), testUnit("y", math.MaxInt64/2, 1, 2, 3), price{2, math.MaxInt64, math.MaxInt64}, math.MaxInt64},
		// Two attributes that only one set brings: free for the sets.
		{"the same sets", inSets(testUnit("x", 100, 0), 4), inSets(testUnit("y", 5, 1), 4), price{0, 0, 100 + 5}, 100 + 5},
		{"fewer sets than attributes", inSets(testUnit("x", 100, 0, 2), 4), inSets(testUnit("y", 5, 1), 4, 5), price{2, 100, 100*1 + 5*2}, 100*1 + 5*2},
		{"free, with a large path", large(testUnit("x", 100, 0)), testUnit("y", 5, 0), price{1, 0, 0}, 0},
		{"costly, with a large path", large(testUnit("x", 100, 0)), testUnit("y", 5, 1), price{2, 105, 105}, 105},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mergeCost(tt.a, tt.b, bySets); got != tt.want {
				t.Errorf("mergeCost = %+v, want %+v", got, tt.want)
			}
			if got := mergeCost(tt.b, tt.a, bySets); got != tt.want {
				t.Errorf("mergeCost reversed = %+v, want %+v", got, tt.want)
			}
			if got, want := mergeCost(tt.a, tt.b, byAttrs), (price{sets: tt.old}); got != want {
				t.Errorf("mergeCost by attributes = %+v, want %+v", got, want)
			}
		})
	}
}

func TestMergeUnits(t *testing.T) {
	tests := []struct {
		name   string
		units  []*unit // sorted by first path
		limit  int
		rule   rule
		want   []string // paths of the remaining units
		merges []string // describeMerges
	}{{
		name:  "within the limit",
		units: []*unit{testUnit("a", 1, 0), testUnit("b", 1, 1)},
		limit: 2,
		want:  []string{"a", "b"},
	}, {
		name:   "least cost first",
		units:  []*unit{testUnit("a", 10, 0), testUnit("b", 1, 0, 1), testUnit("c", 1, 2)},
		limit:  2,
		want:   []string{"a", "b c"},
		merges: []string{"[a0 a1] 1 + [a2] 1 = [a0 a1 a2] cost=3"},
	}, {
		// a+b and c+d both cost 0; c+d makes the smaller unit.
		name:   "equal cost: smaller result first",
		units:  []*unit{testUnit("a", 5, 0), testUnit("b", 5, 0), testUnit("c", 1, 1), testUnit("d", 2, 1)},
		limit:  3,
		want:   []string{"a", "b", "c d"},
		merges: []string{"[a1] 1 + [a1] 2 = [a1] cost=0"},
	}, {
		name:   "equal cost and size: first paths first",
		units:  []*unit{testUnit("a", 1, 0), testUnit("b", 1, 0), testUnit("c", 1, 1), testUnit("d", 1, 1)},
		limit:  3,
		want:   []string{"a b", "c", "d"},
		merges: []string{"[a0] 1 + [a0] 1 = [a0] cost=0"},
	}, {
		name:  "merged units merge again",
		units: []*unit{testUnit("a", 1, 0), testUnit("b", 2, 1), testUnit("c", 4, 2), testUnit("d", 100, 3)},
		limit: 2,
		want:  []string{"a b c", "d"},
		merges: []string{
			"[a0] 1 + [a1] 2 = [a0 a1] cost=3",
			"[a0 a1] 3 + [a2] 4 = [a0 a1 a2] cost=11",
		},
	}, {
		name:   "paths stay sorted",
		units:  []*unit{testUnit("a c", 1, 0), testUnit("b d", 1, 0)},
		limit:  1,
		want:   []string{"a b c d"},
		merges: []string{"[a0] 1 + [a0] 1 = [a0] cost=0"},
	}, {
		// a and b are brought in only by s4, so merging them costs no
		// image of sets anything, although a0 without a1 gets b's bytes.
		// c and d would cost less by attributes.
		name: "free for the sets first",
		units: []*unit{
			inSets(testUnit("a", 10, 0), 4), inSets(testUnit("b", 10, 1), 4),
			inSets(testUnit("c", 1, 2), 5), inSets(testUnit("d", 1, 3), 6),
		},
		limit:  3,
		want:   []string{"a b", "c", "d"},
		merges: []string{"[a0] 10 + [a1] 10 = [a0 a1] cost=0 sets=[s4]+[s4] attrCost=20"},
	}, {
		name: "free for the sets first, not by attributes alone",
		units: []*unit{
			inSets(testUnit("a", 10, 0), 4), inSets(testUnit("b", 10, 1), 4),
			inSets(testUnit("c", 1, 2), 5), inSets(testUnit("d", 1, 3), 6),
		},
		limit:  3,
		rule:   byAttrs,
		want:   []string{"a", "b", "c d"},
		merges: []string{"[a2] 1 + [a3] 1 = [a2 a3] cost=2 sets=[s5]+[s6]"},
	}, {
		// The large a and its neighbour b would make the smaller free
		// merge, but c and d come first.
		name:   "a large path alone while a free merge is left",
		units:  []*unit{large(testUnit("a", 5, 0)), testUnit("b", 1, 0), testUnit("c", 10, 1), testUnit("d", 10, 1)},
		limit:  3,
		want:   []string{"a", "b", "c d"},
		merges: []string{"[a1] 10 + [a1] 10 = [a1] cost=0"},
	}, {
		name:   "a large path with a neighbour when no merge is free",
		units:  []*unit{large(testUnit("a", 5, 0)), testUnit("b", 1, 0), testUnit("c", 10, 1), testUnit("d", 10, 2)},
		limit:  3,
		want:   []string{"a b", "c", "d"},
		merges: []string{"[a0] 5 + [a0] 1 = [a0] cost=0"},
	}, {
		name:   "a large path by attributes alone",
		units:  []*unit{large(testUnit("a", 5, 0)), testUnit("b", 1, 0), testUnit("c", 10, 1), testUnit("d", 10, 1)},
		limit:  3,
		rule:   byAttrs,
		want:   []string{"a b", "c", "d"},
		merges: []string{"[a0] 5 + [a0] 1 = [a0] cost=0"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, merges := mergeUnits(tt.units, tt.limit, attrNames, setNames, tt.rule)
			var paths []string
			for _, u := range got {
				paths = append(paths, names(u.paths))
			}
			if diff := cmp.Diff(tt.want, paths); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.merges, describeMerges(t, merges)); diff != "" {
				t.Errorf("merges (-want +got):\n%s", diff)
			}
			for _, m := range merges {
				if m.From[0] == m.From[1] || m.Into == m.From[0] {
					t.Errorf("merge %+v: IDs do not tell the parts and the result apart", m)
				}
			}
		})
	}
}

func TestCombineKinds(t *testing.T) {
	partial := func(block int) *unit {
		u := testUnit("p"+string(rune('0'+block)), 1, 0)
		u.kind, u.block = KindPartial, block
		return u
	}
	extra := testUnit("x", 1, 1)
	extra.kind = KindExtra
	tests := []struct {
		name  string
		a, b  *unit
		kind  string
		block int
	}{
		{"partial and partial", partial(1), partial(2), KindPartial, -1},
		{"partial and extra", partial(1), extra, KindExtra, -1},
		{"extra and partial", extra, partial(1), KindExtra, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := combine(tt.a, tt.b)
			if m.kind != tt.kind || m.block != tt.block || m.groups != 2 || m.size != 2 {
				t.Errorf("combine = kind %q, block %d, %d groups, size %d; want %q, %d, 2, 2", m.kind, m.block, m.groups, m.size, tt.kind, tt.block)
			}
		})
	}
}

func TestPathsID(t *testing.T) {
	// printf '/nix/store/a\n/nix/store/b\n' | sha256sum
	const want = "sha256:333b7769a8fbeabddbf750d5a1033a638194096f3b54d4fd218307118e54aef5"
	if got := pathsID([]string{"/nix/store/a", "/nix/store/b"}); got != want {
		t.Errorf("pathsID = %s, want %s", got, want)
	}
}

func TestSplitLarge(t *testing.T) {
	sizes := map[string]int64{sp("small"): 1, sp("big"): 100, sp("huge"): 200, sp("alone"): 500}
	size := func(p string) int64 { return sizes[p] }
	units := []*unit{testUnit("big huge small", 301, 0), testUnit("alone", 500, 1), testUnit("big huge", 300, 2)}
	var got []string
	for _, u := range splitLarge(units, Budget{LargePath: 100}, size) {
		got = append(got, fmt.Sprint(names(u.paths), " ", strings.Join(u.attrs.names(attrNames), ","), " large=", u.large))
		var sum int64
		for _, p := range u.paths {
			sum += sizes[p]
		}
		if u.size != sum {
			t.Errorf("unit %s has size %d, want %d", names(u.paths), u.size, sum)
		}
	}
	want := []string{"small a0 large=false", "big a0 large=true", "huge a0 large=true", "alone a1 large=true", "big a2 large=true", "huge a2 large=true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAttrSet(t *testing.T) {
	s, u := newAttrSet(130), newAttrSet(130)
	for _, i := range []int{0, 63, 64, 129} {
		s.add(i)
	}
	u.add(64)
	u.add(100)
	names := make([]string, 130)
	for i := range names {
		names[i] = string(rune('A'+i/26)) + string(rune('a'+i%26))
	}
	got := []any{s.len(), s.lenMinus(u), u.lenMinus(s), s.intersects(u), s.union(u).len(), s.has(63), s.has(62), s.names(names), newAttrSet(130).empty(), s.key() == u.key()}
	want := []any{4, 3, 1, true, 5, true, false, []string{"Aa", "Cl", "Cm", "Ez"}, true, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
