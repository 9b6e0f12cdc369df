package layers

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// Catalog is the closure data of nixlayer's catalog for one nixpkgs pin:
// the out path of every catalog attribute and the closure graph of all of
// them. It is the input of [Partition], and its JSON form (see
// [Catalog.MarshalJSON]) is what nixlayer records for each pin.
type Catalog struct {
	// Roots maps each catalog attribute path, such as "python312" or
	// "stdenv.cc.cc.lib", to its out path. Two attributes may share an
	// out path.
	Roots map[string]string
	// Graph is the closure of all the out paths in Roots, and nothing
	// else.
	Graph *nix.Closure
}

// catalogJSON is the JSON form of a Catalog.
type catalogJSON struct {
	Roots map[string]string `json:"roots"`
	Paths []nix.PathInfo    `json:"paths"`
}

// MarshalJSON encodes c as {"roots": {attribute: out path}, "paths":
// [path info]}, with the roots sorted by attribute, the paths sorted by
// store path and each path's references sorted without duplicates, so that
// the same catalog always encodes to the same bytes.
func (c Catalog) MarshalJSON() ([]byte, error) {
	out := catalogJSON{Roots: c.Roots, Paths: []nix.PathInfo{}}
	if out.Roots == nil {
		out.Roots = map[string]string{}
	}
	if c.Graph != nil {
		for _, p := range c.Graph.Paths() {
			info, _ := c.Graph.Lookup(p)
			info.References = slices.Compact(slices.Sorted(slices.Values(info.References)))
			if info.References == nil {
				info.References = []string{}
			}
			out.Paths = append(out.Paths, info)
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes the form written by [Catalog.MarshalJSON] and
// checks it as [Partition] does: the paths must form a complete closure,
// every root must be one of them and every path must be in the closure of
// a root.
func (c *Catalog) UnmarshalJSON(data []byte) error {
	var in catalogJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("decoding catalog: %w", err)
	}
	graph, err := nix.NewClosure(in.Paths)
	if err != nil {
		return fmt.Errorf("decoding catalog: %w", err)
	}
	decoded := Catalog{Roots: in.Roots, Graph: graph}
	if decoded.Roots == nil {
		decoded.Roots = map[string]string{}
	}
	if err := decoded.validate(); err != nil {
		return fmt.Errorf("decoding catalog: %w", err)
	}
	*c = decoded
	return nil
}

// Attrs returns the catalog's attribute paths, sorted.
func (c Catalog) Attrs() []string { return slices.Sorted(maps.Keys(c.Roots)) }

// validate checks that c is a closure of its roots and nothing more.
func (c Catalog) validate() error {
	return checkRoots("catalog", c.Roots, c.Graph)
}

// checkRoots checks that graph is the closure of roots and nothing more:
// every root is a path of graph, and every path that no other path refers
// to is a root. what names the whole for the error messages.
func checkRoots(what string, roots map[string]string, graph *nix.Closure) error {
	if graph == nil {
		return fmt.Errorf("%s has no closure graph", what)
	}
	rootPaths := make(map[string]bool, len(roots))
	for _, attr := range slices.Sorted(maps.Keys(roots)) {
		p := roots[attr]
		if attr == "" {
			return fmt.Errorf("%s has an attribute with an empty name (out path %s)", what, p)
		}
		if _, ok := graph.Lookup(p); !ok {
			return fmt.Errorf("%s attribute %q: out path %q is not in the closure graph", what, attr, p)
		}
		rootPaths[p] = true
	}
	for _, p := range graph.Roots() {
		if !rootPaths[p] {
			return fmt.Errorf("%s closure graph has %s, which is in the closure of no attribute", what, p)
		}
	}
	return nil
}
