package layerstest

import (
	"crypto/sha256"
	"slices"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// ExtrasFor returns three extra roots for images of any catalog, such as
// one built by Nix, chosen deterministically from its graph:
//
//   - "extra-app", 12 MiB, with an 80 MiB asset path (large by default)
//     and a 3 MiB library that refers to the catalog path with the fewest
//     referrers that is neither an attribute's out path nor in the closure
//     of the first attribute (so that images without it get a partial
//     layer) and to the path with the most referrers (such as glibc);
//   - "extra-ca", one small path;
//   - "extra-tool", which refers to the out path of the first catalog
//     attribute, so that its blocks come in whole.
//
// Catalog references are left out when the catalog has no such path.
func ExtrasFor(c layers.Catalog) []Extra {
	outs := make(map[string]bool)
	for _, p := range c.Roots {
		outs[p] = true
	}
	// extra-tool brings the first attribute's closure whole, which would
	// leave nothing partial of a path in it.
	var first []string
	whole := map[string]bool{}
	if attrs := c.Attrs(); len(attrs) > 0 {
		first = []string{c.Roots[attrs[0]]}
		if sub, err := c.Graph.Sub(first...); err == nil {
			for _, p := range sub.Paths() {
				whole[p] = true
			}
		}
	}
	var shared, narrow string
	most, fewest := -1, -1
	for _, p := range c.Graph.Paths() {
		n := len(c.Graph.Referrers(p))
		if n > most {
			shared, most = p, n
		}
		if !outs[p] && !whole[p] && (fewest < 0 || n < fewest) {
			narrow, fewest = p, n
		}
	}
	app, assets, lib := madePath("extra-app"), madePath("extra-app-assets"), madePath("extra-app-lib")
	return []Extra{
		{Attr: "extra-app", Path: app, Paths: []nix.PathInfo{
			madeInfo(app, 12<<20, append([]string{assets, lib}, nonEmpty(shared)...)...),
			madeInfo(assets, 80<<20),
			madeInfo(lib, 3<<20, append(nonEmpty(narrow), nonEmpty(shared)...)...),
		}},
		{Attr: "extra-ca", Path: madePath("extra-ca"), Paths: []nix.PathInfo{madeInfo(madePath("extra-ca"), 4<<10)}},
		{Attr: "extra-tool", Path: madePath("extra-tool"), Paths: []nix.PathInfo{madeInfo(madePath("extra-tool"), 2<<20, first...)}},
	}
}

// madePath returns a store path named name whose hash part is derived
// from the name.
func madePath(name string) string {
	const alphabet = "0123456789abcdfghijklmnpqrsvwxyz" // Nix's base32
	sum := sha256.Sum256([]byte(name))
	hash := make([]byte, 32)
	for i := range hash {
		hash[i] = alphabet[sum[i]%32]
	}
	return "/nix/store/" + string(hash) + "-" + name
}

// madeInfo returns the PathInfo of path with the given size and
// references, sorted without duplicates.
func madeInfo(path string, size int64, refs ...string) nix.PathInfo {
	refs = slices.Compact(slices.Sorted(slices.Values(refs)))
	if refs == nil {
		refs = []string{}
	}
	return nix.PathInfo{Path: path, NarHash: narHash(path), NarSize: size, References: refs}
}

// nonEmpty returns p as a slice, or nothing if p is empty.
func nonEmpty(p string) []string {
	if p == "" {
		return nil
	}
	return []string{p}
}
