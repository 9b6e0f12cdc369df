package changes

import (
	"slices"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Closure is one pin's catalog: the out path of each catalog attribute the
// pin has, and the closure graph of them all.
type Closure struct {
	Roots map[string]string
	Graph *nix.Closure
}

// SetSizes returns the closure size of every set of c at the old and the
// new pin, in c's order: the NAR size and number of paths of the union of
// the closures of the set's attributes that each pin has.
func SetSizes(c sets.Catalog, old, new Closure) ([]SetSize, error) {
	var out []SetSize
	for _, s := range c.Sets() {
		o, err := old.of(s.Attrs)
		if err != nil {
			return nil, err
		}
		n, err := new.of(s.Attrs)
		if err != nil {
			return nil, err
		}
		out = append(out, SetSize{Set: s.Name, Old: o.Total(), New: n.Total(), Delta: n.Total() - o.Total(), OldPaths: o.Len(), NewPaths: n.Len()})
	}
	return out, nil
}

// of is the closure of the attributes in c's graph, leaving out those the
// pin lacks.
func (c Closure) of(attrs []string) (*nix.Closure, error) {
	var roots []string
	for _, a := range attrs {
		if p, ok := c.Roots[a]; ok {
			roots = append(roots, p)
		}
	}
	slices.Sort(roots)
	return c.Graph.Sub(slices.Compact(roots)...)
}
