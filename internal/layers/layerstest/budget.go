package layerstest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// BuildSets are the sets that a build partitions the catalog with when
// the project has no sets of its own: the built-in sets and the
// attributes each kind of image requires (catalog.Sets).
func BuildSets() []layers.Set { return catalog.Sets(sets.Builtin(), nil) }

// CheckSetBloat checks that p, a partitioning of c, gives no image made
// of the sets any bloat: the paths of each block are brought in by the
// same sets, so that an image of some sets has all of a block or none of
// it. It finds which sets bring in a path with a plain search from the
// sets' out paths, independent of Partition.
func CheckSetBloat(c layers.Catalog, p *layers.Partitioning, sets []layers.Set) error {
	by := make(map[string][]string, c.Graph.Len()) // path → the sets that bring it in
	for _, s := range sets {
		var roots []string
		for _, a := range s.Attrs {
			if r, ok := c.Roots[a]; ok {
				roots = append(roots, r)
			}
		}
		if len(roots) == 0 {
			continue
		}
		sub, err := c.Graph.Sub(roots...)
		if err != nil {
			return err
		}
		for _, path := range sub.Paths() {
			by[path] = append(by[path], s.Name)
		}
	}
	var errs []error
	for _, b := range p.Blocks {
		want := strings.Join(by[b.Paths[0]], " ")
		for _, path := range b.Paths[1:] {
			if got := strings.Join(by[path], " "); got != want {
				errs = append(errs, fmt.Errorf("block %s holds %s, brought in by [%s], and %s, brought in by [%s]", b.ID, b.Paths[0], want, path, got))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// CheckLargeAlone checks that every path of c of at least p's
// Budget.LargePath bytes is alone in its block.
func CheckLargeAlone(c layers.Catalog, p *layers.Partitioning) error {
	var errs []error
	for _, b := range p.Blocks {
		if len(b.Paths) == 1 {
			continue
		}
		for _, path := range b.Paths {
			if info, _ := c.Graph.Lookup(path); p.Budget.LargePath > 0 && info.NarSize >= p.Budget.LargePath {
				errs = append(errs, fmt.Errorf("%s (%d MiB) shares block %s with %d other paths", path, info.NarSize>>20, b.ID, len(b.Paths)-1))
			}
		}
	}
	return errors.Join(errs...)
}
