package layerstest

import "github.com/nixlayer/nixlayer/internal/sets"

// BuiltinSets returns nixlayer's built-in sets, by name, each with its
// catalog attributes, as internal/sets defines them.
func BuiltinSets() map[string][]string {
	out := map[string][]string{}
	for _, s := range sets.Builtin().Sets() {
		out[s.Name] = s.Attrs
	}
	return out
}
