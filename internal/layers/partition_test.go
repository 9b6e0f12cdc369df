package layers

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
)

func TestPartition(t *testing.T) {
	tests := []struct {
		name       string
		roots      map[string]string
		infos      []nix.PathInfo
		sets       []Set
		budget     Budget
		want       []string // describeBlocks
		signatures int
		groups     int
		merges     []string // describeMerges
	}{{
		name:  "shared dependency",
		roots: roots("a", "a", "b", "b"),
		infos: []nix.PathInfo{pi("a", 1, "lib"), pi("b", 2, "lib"), pi("lib", 10, "libc"), pi("libc", 100, "libc")},
		want: []string{
			"lib libc [a b] size=110 groups=1",
			"b [b] size=2 groups=1",
			"a [a] size=1 groups=1",
		},
		signatures: 3, groups: 3,
	}, {
		name:       "attributes sharing an out path share a signature",
		roots:      roots("python3", "python", "python312", "python"),
		infos:      []nix.PathInfo{pi("python", 5, "libffi"), pi("libffi", 1)},
		want:       []string{"libffi python [python3 python312] size=6 groups=1"},
		signatures: 1, groups: 1,
	}, {
		name:  "an attribute in another's closure",
		roots: roots("git", "git", "curl", "curl", "openssl", "openssl"),
		infos: []nix.PathInfo{pi("git", 50, "curl"), pi("curl", 1, "openssl"), pi("openssl", 7)},
		want: []string{
			"openssl [curl git openssl] size=7 groups=1",
			"curl [curl git] size=1 groups=1",
			"git [git] size=50 groups=1",
		},
		signatures: 3, groups: 3,
	}, {
		name:  "large paths leave their group",
		roots: roots("rustc", "rustc"),
		infos: []nix.PathInfo{pi("rustc", 64<<20, "llvm", "zlib"), pi("llvm", 100<<20), pi("zlib", 1)},
		want: []string{
			// Same signature: ordered by ID.
			"rustc [rustc] size=67108864 groups=1",
			"llvm [rustc] size=104857600 groups=1",
			"zlib [rustc] size=1 groups=1",
		},
		signatures: 1, groups: 3,
	}, {
		name:       "a large path alone stays",
		roots:      roots("go", "go", "jq", "jq"),
		infos:      []nix.PathInfo{pi("go", 250<<20), pi("jq", 1)},
		want:       []string{"go [go] size=262144000 groups=1", "jq [jq] size=1 groups=1"},
		signatures: 2, groups: 2,
	}, {
		name:       "large paths not split when disabled",
		roots:      roots("rustc", "rustc"),
		infos:      []nix.PathInfo{pi("rustc", 64<<20, "llvm"), pi("llvm", 100<<20)},
		budget:     Budget{LargePath: -1},
		want:       []string{"llvm rustc [rustc] size=171966464 groups=1"},
		signatures: 1, groups: 1,
	}, {
		name:   "custom large path size",
		roots:  roots("a", "a"),
		infos:  []nix.PathInfo{pi("a", 10, "b", "c"), pi("b", 9), pi("c", 11)},
		budget: Budget{LargePath: 10},
		want: []string{
			"c [a] size=11 groups=1",
			"b [a] size=9 groups=1",
			"a [a] size=10 groups=1",
		},
		signatures: 1, groups: 3,
	}, {
		// MaxLayers 4 with 1 reserved leaves 2 blocks for 4 groups. c
		// and d have the same signature (d was split off as large), so
		// they merge first at cost 0, into a block bigger than a+b.
		// Then a (1 byte, {a}) and b (2 bytes, {a b}) merge at cost
		// 1·|{b}| = 1, cheaper than anything with the c block.
		name:  "merging down to the budget",
		roots: roots("a", "a", "b", "b", "c", "c"),
		infos: []nix.PathInfo{
			pi("a", 1, "b"), pi("b", 2),
			pi("c", 3, "d"), pi("d", 100),
		},
		budget: Budget{MaxLayers: 4, Reserved: 1, LargePath: 50},
		want: []string{
			"a b [a b] size=3 groups=2",
			"c d [c] size=103 groups=2",
		},
		signatures: 3, groups: 4,
		merges: []string{
			"[c] 3 + [c] 100 = [c] cost=0",
			"[a] 1 + [a b] 2 = [a b] cost=1",
		},
	}, {
		// Every pair costs 10 and makes a block of 10 bytes: the pair
		// whose first paths sort first wins.
		name:   "merge ties",
		roots:  roots("a", "a", "b", "b", "c", "c", "d", "d"),
		infos:  []nix.PathInfo{pi("a", 5), pi("b", 5), pi("c", 5), pi("d", 5)},
		budget: Budget{MaxLayers: 5, Reserved: 1},
		want: []string{
			"a b [a b] size=10 groups=2",
			"d [d] size=5 groups=1", // c and d: by ID
			"c [c] size=5 groups=1",
		},
		signatures: 4, groups: 4,
		merges: []string{"[a] 5 + [b] 5 = [a b] cost=10"},
	}, {
		// By attributes, c with a or b would cost 11, less than a with b
		// (20); but one set brings in a and b, so merging them costs no
		// image of sets anything.
		name:   "merging what the same sets bring in",
		roots:  roots("a", "a", "b", "b", "c", "c"),
		infos:  []nix.PathInfo{pi("a", 10), pi("b", 10), pi("c", 1)},
		sets:   []Set{{Name: "ab", Attrs: []string{"a", "b"}}, {Name: "c", Attrs: []string{"c"}}},
		budget: Budget{MaxLayers: 4, Reserved: 1},
		want: []string{
			"a b [a b] size=20 groups=2",
			"c [c] size=1 groups=1",
		},
		signatures: 3, groups: 3,
		merges: []string{"[a] 10 + [b] 10 = [a b] cost=0 sets=[ab]+[ab] attrCost=20"},
	}, {
		name:  "empty catalog",
		roots: map[string]string{},
		infos: nil,
		want:  nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Partition(Catalog{Roots: tt.roots, Graph: closure(t, tt.infos)}, tt.budget, tt.sets...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describeBlocks(t, p.Blocks)); diff != "" {
				t.Errorf("blocks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.merges, describeMerges(t, p.Merges)); diff != "" {
				t.Errorf("merges (-want +got):\n%s", diff)
			}
			if p.Signatures != tt.signatures || p.Groups != tt.groups {
				t.Errorf("%d signatures and %d groups, want %d and %d", p.Signatures, p.Groups, tt.signatures, tt.groups)
			}
			want := tt.budget
			if want.MaxLayers == 0 {
				want.MaxLayers = DefaultMaxLayers
			}
			if want.LargePath == 0 {
				want.LargePath = DefaultLargePath
			}
			want.Reserved = max(want.Reserved, 1) // the customisation layer
			if p.Budget != want {
				t.Errorf("budget %+v, want %+v", p.Budget, want)
			}
		})
	}
}

// TestPartitionMergeRecords follows merges through their IDs: each part is
// either a group or the result of an earlier merge, and the last results
// are the merged blocks.
func TestPartitionMergeRecords(t *testing.T) {
	var infos []nix.PathInfo
	var pairs []string
	for _, n := range strings.Fields("a b c d e f g h") {
		infos = append(infos, pi(n, int64(len(infos)+1), "libc"))
		pairs = append(pairs, n, n)
	}
	infos = append(infos, pi("libc", 100))
	p, err := Partition(Catalog{Roots: roots(pairs...), Graph: closure(t, infos)}, Budget{MaxLayers: 5, Reserved: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocks) != 3 || len(p.Merges) != p.Groups-3 {
		t.Fatalf("%d blocks and %d merges from %d groups, want 3 and %d", len(p.Blocks), len(p.Merges), p.Groups, p.Groups-3)
	}
	live := make(map[string]bool) // results not merged again yet
	for _, m := range p.Merges {
		for _, from := range m.From {
			delete(live, from)
		}
		live[m.Into] = true
	}
	for _, b := range p.Blocks {
		if b.Groups > 1 && !live[b.ID] {
			t.Errorf("block %s (%d groups) is not the result of a merge", names(b.Paths), b.Groups)
		}
		delete(live, b.ID)
	}
	if len(live) > 0 {
		t.Errorf("merge results %v are no block", live)
	}
}

func TestPartitionErrors(t *testing.T) {
	graph := closure(t, []nix.PathInfo{pi("a", 1, "b"), pi("b", 1), pi("orphan", 1)})
	tests := []struct {
		name    string
		catalog Catalog
		budget  Budget
		want    string
	}{
		{"no graph", Catalog{Roots: roots("a", "a")}, Budget{}, "catalog has no closure graph"},
		{"root outside the graph", Catalog{Roots: roots("a", "a", "orphan", "orphan", "x", "missing"), Graph: graph}, Budget{},
			`catalog attribute "x": out path "` + sp("missing") + `" is not in the closure graph`},
		{"path outside every closure", Catalog{Roots: roots("a", "a"), Graph: graph}, Budget{},
			"catalog closure graph has " + sp("orphan") + ", which is in the closure of no attribute"},
		{"empty attribute", Catalog{Roots: roots("", "a", "orphan", "orphan"), Graph: graph}, Budget{}, "catalog has an attribute with an empty name"},
		{"negative budget", Catalog{Roots: roots("a", "a"), Graph: graph}, Budget{Reserved: -1}, "must not be negative"},
		{"budget too small", Catalog{Roots: roots("a", "a"), Graph: graph}, Budget{MaxLayers: 2, Reserved: 1}, "2 layers with 1 reserved leave fewer than 2 for the store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Partition(tt.catalog, tt.budget)
			if err == nil || !strings.HasPrefix(err.Error(), "partitioning catalog: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one starting with %q and containing %q", err, "partitioning catalog: ", tt.want)
			}
		})
	}
}
