package layers

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/nix"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sp returns a made-up store path named name; store paths sort like their
// names.
func sp(name string) string { return "/nix/store/" + strings.Repeat("0", 32) + "-" + name }

// sps returns the store paths named names.
func sps(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, sp(n))
	}
	return out
}

// pi returns the PathInfo of sp(name), of the given size in bytes, with
// the given references.
func pi(name string, size int64, refs ...string) nix.PathInfo {
	return nix.PathInfo{Path: sp(name), NarHash: "sha256-" + name, NarSize: size, References: sps(refs...)}
}

// closure builds a closure or fails the test.
func closure(t testing.TB, infos []nix.PathInfo) *nix.Closure {
	t.Helper()
	c, err := nix.NewClosure(infos)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// roots maps attributes to the store paths of the named out paths, given
// as attribute, name, attribute, name...
func roots(pairs ...string) map[string]string {
	m := make(map[string]string)
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = sp(pairs[i+1])
	}
	return m
}

// name returns the name of a store path made by sp.
func name(p string) string { return p[strings.LastIndex(p, "0-")+2:] }

// names returns the names of store paths made by sp, joined by spaces.
func names(paths []string) string {
	var out []string
	for _, p := range paths {
		out = append(out, name(p))
	}
	return strings.Join(out, " ")
}

// describeBlocks returns one line per block: its paths, signature, size
// and group count. It also checks each block's ID.
func describeBlocks(t testing.TB, blocks []Block) []string {
	t.Helper()
	var out []string
	for _, b := range blocks {
		if b.ID != pathsID(b.Paths) {
			t.Errorf("block %s has ID %s, want %s", names(b.Paths), b.ID, pathsID(b.Paths))
		}
		out = append(out, fmt.Sprintf("%s %v size=%d groups=%d", names(b.Paths), b.Attrs, b.Size, b.Groups))
	}
	return out
}

// describeLayers returns one line per layer: its kind, paths, signature,
// size and bloat, and for a layer from a block the block's paths. It also
// checks each layer's ID.
func describeLayers(t testing.TB, p *Partitioning, layers []Layer) []string {
	t.Helper()
	blocks := make(map[string]string)
	for _, b := range p.Blocks {
		blocks[b.ID] = names(b.Paths)
	}
	var out []string
	for _, l := range layers {
		if l.ID != pathsID(l.Paths) {
			t.Errorf("layer %s has ID %s, want %s", names(l.Paths), l.ID, pathsID(l.Paths))
		}
		line := fmt.Sprintf("%s %s %v size=%d bloat=%d", l.Kind, names(l.Paths), l.Attrs, l.Size, l.Bloat)
		if l.Block != "" {
			line += " block=" + blocks[l.Block]
		}
		out = append(out, line)
	}
	return out
}

// describeMerges returns one line per merge: the parts' signatures and
// sizes, and the cost. It also checks the result's signature and size.
func describeMerges(t testing.TB, merges []Merge) []string {
	t.Helper()
	var out []string
	for _, m := range merges {
		if len(m.From) != 2 || len(m.FromAttrs) != 2 || len(m.FromSizes) != 2 {
			t.Fatalf("merge %+v does not have two parts", m)
		}
		if m.Size != m.FromSizes[0]+m.FromSizes[1] {
			t.Errorf("merge into %v has size %d, want %d", m.Attrs, m.Size, m.FromSizes[0]+m.FromSizes[1])
		}
		line := fmt.Sprintf("%v %d + %v %d = %v cost=%d", m.FromAttrs[0], m.FromSizes[0], m.FromAttrs[1], m.FromSizes[1], m.Attrs, m.Cost)
		if len(m.FromSets) != 2 {
			t.Fatalf("merge %+v does not have the sets of two parts", m)
		}
		// The sets are shown when they are not the attributes, each a set
		// of its own.
		if !slices.Equal(m.FromSets[0], m.FromAttrs[0]) || !slices.Equal(m.FromSets[1], m.FromAttrs[1]) {
			line += fmt.Sprintf(" sets=%v+%v", m.FromSets[0], m.FromSets[1])
		}
		if m.AttrCost != m.Cost {
			line += fmt.Sprintf(" attrCost=%d", m.AttrCost)
		}
		out = append(out, line)
	}
	return out
}

// docInfos are the paths of the catalog of the package documentation,
// with sizes in bytes rather than MiB.
var docInfos = []nix.PathInfo{
	pi("glibc", 30),
	pi("openssl", 7, "glibc"),
	pi("curl-lib", 1, "openssl"),
	pi("curl", 1, "curl-lib"),
	pi("perl", 55, "glibc"),
	pi("git", 50, "curl-lib", "perl", "python3"),
	pi("libffi", 1, "glibc"),
	pi("python3", 100, "openssl", "libffi"),
	pi("oniguruma", 1, "glibc"),
	pi("jq", 1, "oniguruma"),
}

// docSets are the sets of the package documentation.
var docSets = []Set{{Name: "tools", Attrs: []string{"curl", "git", "jq"}}, {Name: "python", Attrs: []string{"python312"}}}

// docBudget is the default budget with LargePath scaled like the sizes of
// docInfos.
var docBudget = Budget{Reserved: 1, LargePath: 64}

// docCatalog returns the catalog of the package documentation.
func docCatalog(t testing.TB) Catalog {
	return Catalog{
		Roots: roots("curl", "curl", "git", "git", "jq", "jq", "python312", "python3"),
		Graph: closure(t, docInfos),
	}
}

// imageOf returns the image with the given roots, whose closure is taken
// from the catalog and the extra paths.
func imageOf(t testing.TB, c Catalog, roots map[string]string, extra ...nix.PathInfo) Image {
	t.Helper()
	known := make(map[string]nix.PathInfo)
	for _, info := range extra {
		known[info.Path] = info
	}
	var stack, seen = []string{}, map[string]bool{}
	for _, p := range roots {
		stack = append(stack, p)
	}
	var infos []nix.PathInfo
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		info, ok := known[p]
		if !ok {
			if info, ok = c.Graph.Lookup(p); !ok {
				t.Fatalf("%s is in neither the catalog nor the extra paths", p)
			}
		}
		infos = append(infos, info)
		stack = append(stack, info.References...)
	}
	return Image{Roots: roots, Graph: closure(t, infos)}
}
