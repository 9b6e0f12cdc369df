package update

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/storelayers"
)

// StandardImage is an image whose users the report counts the bytes to
// pull again for.
type StandardImage struct {
	Name string
	Kind kind.Kind
	// Sets is the set spec it is built from.
	Sets string
}

// StandardImages are the images of the report: the devcontainer with its
// default sets, alone and with each language, and the runtime image, alone
// and with Python.
var StandardImages = []StandardImage{
	{"devcontainer", kind.Devcontainer, kind.Devcontainer.DefaultSets()},
	{"devcontainer + python", kind.Devcontainer, kind.Devcontainer.DefaultSets() + ",python"},
	{"devcontainer + node", kind.Devcontainer, kind.Devcontainer.DefaultSets() + ",node"},
	{"devcontainer + go", kind.Devcontainer, kind.Devcontainer.DefaultSets() + ",go"},
	{"devcontainer + rust", kind.Devcontainer, kind.Devcontainer.DefaultSets() + ",rust"},
	{"runtime", kind.Runtime, kind.Runtime.DefaultSets()},
	{"runtime + python", kind.Runtime, kind.Runtime.DefaultSets() + ",python"},
}

// images plans the store layers of every standard image at both pins, as
// builds plan them, and counts the new layers, compressing them (and only
// them) into the blob cache for their exact sizes.
func (o *Options) images(ctx context.Context, before, after *side) ([]changes.Image, error) {
	out := make([]changes.Image, len(StandardImages))
	fresh := make([][]string, len(StandardImages)) // the new layers' IDs
	compress := map[string]layers.Layer{}
	for i, std := range StandardImages {
		sel, req, err := selection.Select(std.Sets, nil, nil, o.System)
		if err != nil {
			return nil, err
		}
		attrs := std.Kind.WithRequired(req.Attrs)
		out[i] = changes.Image{Name: std.Name, Kind: string(std.Kind), Sets: sel.Sets}
		oldPlan, why, err := before.layout(attrs)
		if err != nil {
			return nil, err
		}
		newPlan, whyNew, err := after.layout(attrs)
		if err != nil {
			return nil, err
		}
		if why == "" {
			why = whyNew
		}
		if why != "" {
			out[i].Unplanned = why
			continue
		}
		had := map[string]bool{}
		for _, l := range oldPlan.Layers {
			had[l.ID] = true
		}
		for _, l := range newPlan.Layers {
			out[i].Layers++
			out[i].TotalNarBytes += l.Size
			if !had[l.ID] {
				out[i].NewLayers++
				out[i].NarBytes += l.Size
				fresh[i] = append(fresh[i], l.ID)
				compress[l.ID] = l
			}
		}
	}
	sizes, err := o.compress(ctx, after, compress)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, id := range fresh[i] {
			out[i].Bytes += sizes[id]
		}
	}
	return out, nil
}

// layout plans the store layers of an image of attrs at the side's pin
// with the catalog step of builds, or says which attribute the pin lacks.
func (s *side) layout(attrs []sets.Attr) (*layers.ImagePlan, string, error) {
	roots := map[string]string{}
	for _, a := range attrs {
		p, ok := s.catalog.Roots[a.Path]
		if !ok {
			return nil, fmt.Sprintf("lacks %s at the %s pin", a.Path, s.which), nil
		}
		roots[a.Path] = p
	}
	paths := slices.Sorted(maps.Values(roots))
	graph, err := s.catalog.Graph.Sub(slices.Compact(paths)...)
	if err != nil {
		return nil, "", fmt.Errorf("planning an image at the %s pin: %w", s.which, err)
	}
	plan, err := s.step.Plan(layers.Image{Roots: roots, Graph: graph}, s.part)
	if err != nil {
		return nil, "", fmt.Errorf("at the %s pin: %w", s.which, err)
	}
	return plan, "", nil
}

// compress compresses the layers (by ID) from the store with the
// compression step of builds, into the blob cache, and returns their
// compressed sizes by ID. With a binary cache for the catalog, their
// paths are fetched first.
func (o *Options) compress(ctx context.Context, s *side, ls map[string]layers.Layer) (map[string]int64, error) {
	if len(ls) == 0 {
		return nil, nil
	}
	ids := slices.Sorted(maps.Keys(ls))
	planned := make([]layers.Layer, len(ids))
	var all []string
	for i, id := range ids {
		planned[i] = ls[id]
		all = append(all, ls[id].Paths...)
	}
	if o.Catalog.Store != "" {
		slices.Sort(all)
		all = slices.Compact(all)
		o.progress("fetching the %d store paths of the %d new layers", len(all), len(ids))
		if _, err := o.Driver.Build(ctx, all); err != nil {
			return nil, fmt.Errorf("fetching the new layers' store paths: %w", err)
		}
	}
	o.progress("compressing the %d new store layers of the standard images", len(ids))
	c := storelayers.Compressor{Cache: o.CacheDir, Store: o.Driver.Root()}
	stored, _, err := c.Compress(ctx, planned, s.catalog.Graph)
	if err != nil {
		return nil, fmt.Errorf("compressing the new layers: %w", err)
	}
	sizes := make(map[string]int64, len(ids))
	for i, l := range stored {
		n, err := l.Layer.Size()
		if err != nil {
			return nil, fmt.Errorf("reading a new layer's size: %w", err)
		}
		sizes[ids[i]] = n
	}
	return sizes, nil
}
