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
	infos  map[string]nix.PathInfo // catalog and extra paths
}

func newImageBuilder(c layers.Catalog, extras []Extra) *imageBuilder {
	b := &imageBuilder{c: c, extras: extras, infos: make(map[string]nix.PathInfo, c.Graph.Len())}
	for _, p := range c.Graph.Paths() {
		b.infos[p], _ = c.Graph.Lookup(p)
	}
	for _, e := range extras {
		for _, info := range e.Paths {
			b.infos[info.Path] = info
		}
	}
	return b
}

// image returns the image of attrs and b's extras.
func (b *imageBuilder) image(attrs []string) (layers.Image, error) {
	img := layers.Image{Roots: make(map[string]string, len(attrs)+len(b.extras))}
	var stack []string
	for _, a := range attrs {
		p, ok := b.c.Roots[a]
		if !ok {
			return layers.Image{}, fmt.Errorf("building a test image: %q is not a catalog attribute", a)
		}
		img.Roots[a] = p
		stack = append(stack, p)
	}
	for _, e := range b.extras {
		if _, dup := img.Roots[e.Attr]; dup {
			return layers.Image{}, fmt.Errorf("building a test image: attribute %q is both in the catalog and extra", e.Attr)
		}
		img.Roots[e.Attr] = e.Path
		stack = append(stack, e.Path)
	}
	seen := make(map[string]bool)
	var infos []nix.PathInfo
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		info, ok := b.infos[p]
		if !ok {
			return layers.Image{}, fmt.Errorf("building a test image: %s is neither in the catalog nor in an extra's paths", p)
		}
		infos = append(infos, info)
		stack = append(stack, info.References...)
	}
	graph, err := nix.NewClosure(infos)
	if err != nil {
		return layers.Image{}, fmt.Errorf("building a test image: %w", err)
	}
	img.Graph = graph
	return img, nil
}
