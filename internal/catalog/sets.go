package catalog

import (
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Sets returns what images of the catalog are made of, as layers.Partition
// prices merges by: every set of c (the built-in sets, and a project's
// when c has them), the attributes each kind of image requires, named
// "(devcontainer)" and so on, and the project's extra packages, which
// every image of the project holds, named "(packages)". No set name has
// parentheses, so the names do not clash.
//
// A build, the plan of an update and the statistics of nixlayer sets
// partition the catalog with the same sets, so that they agree on the
// blocks.
func Sets(c sets.Catalog, packages []sets.Attr) []layers.Set {
	var out []layers.Set
	for _, s := range c.Sets() {
		out = append(out, layers.Set{Name: s.Name, Attrs: s.Attrs})
	}
	for _, k := range kind.All {
		if req := k.Required(); len(req) > 0 {
			out = append(out, layers.Set{Name: "(" + string(k) + ")", Attrs: req})
		}
	}
	if len(packages) > 0 {
		s := layers.Set{Name: "(packages)"}
		for _, a := range packages {
			s.Attrs = append(s.Attrs, a.Path)
		}
		out = append(out, s)
	}
	return out
}
