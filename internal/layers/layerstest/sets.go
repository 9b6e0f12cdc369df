package layerstest

import (
	"maps"
	"slices"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// BuiltinSets returns nixlayer's built-in sets, by name, each with its
// catalog attributes, as internal/sets defines them.
func BuiltinSets() map[string][]string {
	out := map[string][]string{}
	for _, s := range sets.Builtin().Sets() {
		out[s.Name] = s.Attrs
	}
	return out
}

// Sets returns the sets, by name, as [layers.Partition] takes them,
// sorted by name.
func Sets(m map[string][]string) []layers.Set {
	var out []layers.Set
	for _, name := range slices.Sorted(maps.Keys(m)) {
		out = append(out, layers.Set{Name: name, Attrs: m[name]})
	}
	return out
}
