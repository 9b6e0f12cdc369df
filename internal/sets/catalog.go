package sets

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// SourceBuiltin is the Source of the sets that ship with nixlayer.
const SourceBuiltin = "builtin"

// Set is a named group of nixpkgs attributes, with the VS Code extensions
// and settings that go with them.
type Set struct {
	// Name identifies the set in a set spec such as "base,python".
	Name string `json:"name"`
	// Description is a one-sentence summary for listings.
	Description string `json:"description,omitempty"`
	// Attrs are nixpkgs attribute paths, such as "python312Packages.pip".
	Attrs []string `json:"attrs"`
	// Extensions are VS Code extension IDs, such as "golang.go".
	Extensions []string `json:"extensions,omitempty"`
	// Settings are VS Code settings; values are JSON-compatible (string,
	// bool, numbers, nil, []any and map[string]any).
	Settings map[string]any `json:"settings,omitempty"`
	// Source is SourceBuiltin or the path of the project file that
	// defines the set.
	Source string `json:"source"`
}

// clone returns a deep copy of s.
func (s Set) clone() Set {
	s.Attrs = cloneStrings(s.Attrs)
	s.Extensions = cloneStrings(s.Extensions)
	if s.Settings != nil {
		s.Settings = deepCopy(s.Settings).(map[string]any)
	}
	return s
}

// Catalog is an ordered collection of sets with unique names. The zero
// Catalog is empty. A Catalog is immutable: methods that change it return a
// new Catalog, and accessors return copies.
type Catalog struct {
	sets []Set
}

// Builtin returns the catalog of sets that ship with nixlayer, in canonical
// order.
func Builtin() Catalog {
	return Catalog{sets: builtinSets()}
}

// Sets returns copies of the catalog's sets in canonical order: built-in
// sets first, then added sets in the order they were added.
func (c Catalog) Sets() []Set {
	out := make([]Set, len(c.sets))
	for i, s := range c.sets {
		out[i] = s.clone()
	}
	return out
}

// Names returns the names of the catalog's sets in canonical order.
func (c Catalog) Names() []string {
	out := make([]string, len(c.sets))
	for i, s := range c.sets {
		out[i] = s.Name
	}
	return out
}

// Lookup returns a copy of the set with exactly the given name.
func (c Catalog) Lookup(name string) (Set, bool) {
	if i := c.index(name); i >= 0 {
		return c.sets[i].clone(), true
	}
	return Set{}, false
}

func (c Catalog) index(name string) int {
	for i, s := range c.sets {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// unknownSet returns the error for a name the catalog does not have.
func (c Catalog) unknownSet(name string) error {
	known := c.Names()
	return &UnknownSetError{Name: name, Suggestion: suggest(name, known), Known: known}
}

// With returns a catalog with extra appended after c's sets. Each extra set
// must have a valid name that differs, even ignoring case, from every other
// set's; at least one attribute; valid attribute paths and extension IDs;
// and JSON-encodable settings. The error wraps usererr.ErrBadInput.
func (c Catalog) With(extra ...Set) (Catalog, error) {
	out := Catalog{sets: make([]Set, 0, len(c.sets)+len(extra))}
	for _, s := range c.sets {
		out.sets = append(out.sets, s.clone())
	}
	for _, s := range extra {
		if reason := setProblem(s); reason != "" {
			return Catalog{}, usererr.Errorf("adding set %q: %s", s.Name, reason)
		}
		for _, old := range out.sets {
			if strings.EqualFold(old.Name, s.Name) {
				return Catalog{}, usererr.Errorf("adding set %q: the name is taken by set %q from %s", s.Name, old.Name, old.Source)
			}
		}
		out.sets = append(out.sets, s.clone())
	}
	return out, nil
}

// setProblem returns why s cannot be added to a catalog, or "".
func setProblem(s Set) string {
	if reason := setNameProblem(s.Name); reason != "" {
		return "invalid set name: " + reason
	}
	if len(s.Attrs) == 0 {
		return "it has no attributes"
	}
	for _, a := range s.Attrs {
		if reason := attrPathProblem(a); reason != "" {
			return fmt.Sprintf("invalid attribute path %q: %s", a, reason)
		}
	}
	for _, e := range s.Extensions {
		if reason := extensionProblem(e); reason != "" {
			return fmt.Sprintf("invalid extension ID %q: %s", e, reason)
		}
	}
	if _, err := json.Marshal(s.Settings); err != nil {
		return fmt.Sprintf("its settings cannot be written as JSON: %v", err)
	}
	return ""
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

// deepCopy copies the maps and slices of a JSON-like value.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = deepCopy(e)
		}
		return s
	default:
		return v
	}
}
