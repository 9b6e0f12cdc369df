package layerstest

import (
	"fmt"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Extra is an image root outside the catalog, such as a project's own
// package.
type Extra struct {
	// Attr is the root's name in [layers.Image.Roots].
	Attr string
	// Path is its out path, one of Paths.
	Path string
	// Paths holds the paths of its closure that are not in the catalog.
	// Their references may point into the catalog.
	Paths []nix.PathInfo
}

// NewImage returns the image of the given catalog attributes and extra
// roots: their out paths and the closure of all of them, taken from the
// catalog's graph and the extras' paths.
func NewImage(c layers.Catalog, attrs []string, extras ...Extra) (layers.Image, error) {
	return newImageBuilder(c, extras).image(attrs)
}

// imageBuilder makes images of one catalog with the same extra roots.
type imageBuilder struct {
	c      layers.Catalog
	extras []Extra
	all    *nix.Closure // the catalog's graph with the extras' paths
	err    error        // from making all
}

func newImageBuilder(c layers.Catalog, extras []Extra) *imageBuilder {
	b := &imageBuilder{c: c, extras: extras, all: c.Graph}
	if len(extras) == 0 {
		return b
	}
	infos := make([]nix.PathInfo, 0, c.Graph.Len())
	for _, p := range c.Graph.Paths() {
		info, _ := c.Graph.Lookup(p)
		infos = append(infos, info)
	}
	seen := map[string]bool{}
	for _, e := range extras {
		for _, info := range e.Paths {
			if _, inCatalog := c.Graph.Lookup(info.Path); !inCatalog && !seen[info.Path] {
				seen[info.Path] = true
				infos = append(infos, info)
			}
		}
	}
	b.all, b.err = nix.NewClosure(infos)
	return b
}

// image returns the image of attrs and b's extras: their closure is a
// sub-closure of the catalog's graph with the extras' paths.
func (b *imageBuilder) image(attrs []string) (layers.Image, error) {
	if b.err != nil {
		return layers.Image{}, fmt.Errorf("building a test image: %w", b.err)
	}
	img := layers.Image{Roots: make(map[string]string, len(attrs)+len(b.extras))}
	roots := make([]string, 0, len(attrs)+len(b.extras))
	for _, a := range attrs {
		p, ok := b.c.Roots[a]
		if !ok {
			return layers.Image{}, fmt.Errorf("building a test image: %q is not a catalog attribute", a)
		}
		img.Roots[a] = p
		roots = append(roots, p)
	}
	for _, e := range b.extras {
		if _, dup := img.Roots[e.Attr]; dup {
			return layers.Image{}, fmt.Errorf("building a test image: attribute %q is both in the catalog and extra", e.Attr)
		}
		img.Roots[e.Attr] = e.Path
		roots = append(roots, e.Path)
	}
	graph, err := b.all.Sub(roots...)
	if err != nil {
		return layers.Image{}, fmt.Errorf("building a test image: %w", err)
	}
	img.Graph = graph
	return img, nil
}
