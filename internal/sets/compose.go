package sets

import (
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// OriginExtra is the Origin that Compose gives an extra attribute whose
// Origin is empty.
const OriginExtra = "extra"

// Attr is a nixpkgs attribute path together with where it came from.
type Attr struct {
	// Path is the attribute path, such as "python312Packages.pip".
	Path string `json:"path"`
	// Origin is the name of the set that contributed the attribute, or a
	// label for an extra attribute, such as "--packages" or
	// "nixlayer.yaml packages".
	Origin string `json:"origin"`
}

// Selection is the result of composing sets: everything an image built from
// them contains.
type Selection struct {
	// Sets are the selected set names in canonical order.
	Sets []string `json:"sets"`
	// Attrs are the attributes to install, without duplicates: the
	// selected sets' attributes in canonical order, then the extra
	// attributes.
	Attrs []Attr `json:"attrs"`
	// Extensions are the VS Code extension IDs of the selected sets,
	// without duplicates (compared without regard to case); nil if none.
	Extensions []string `json:"extensions,omitempty"`
	// Settings are the selected sets' VS Code settings merged key by key;
	// a later set's value replaces an earlier one's. Nil if none.
	Settings map[string]any `json:"settings,omitempty"`
}

// Compose selects the sets named by spec (see ParseSpec) and merges them
// with the extra attributes.
//
// The result does not depend on the order or repetition of names in spec:
// sets are taken in canonical order, and each attribute is kept only where
// it first appears, with that set as its Origin. Extra attributes come after
// the sets' attributes, skipping any already present; an extra attribute
// with an empty Origin gets OriginExtra.
//
// An unknown set name gives an *UnknownSetError; an empty spec or an
// invalid extra attribute path gives an error that wraps usererr.ErrBadInput.
func (c Catalog) Compose(spec string, extra []Attr) (Selection, error) {
	names, err := ParseSpec(spec)
	if err != nil {
		return Selection{}, err
	}
	want := make(map[string]bool, len(names))
	for _, name := range names {
		if c.index(name) < 0 {
			return Selection{}, c.unknownSet(name)
		}
		want[name] = true
	}
	for _, a := range extra {
		if reason := attrPathProblem(a.Path); reason != "" {
			return Selection{}, usererr.Errorf("invalid attribute path %q from %s: %s", a.Path, originOrExtra(a.Origin), reason)
		}
	}

	var sel Selection
	seenAttr := make(map[string]bool)
	seenExt := make(map[string]bool)
	for _, s := range c.sets {
		if !want[s.Name] {
			continue
		}
		sel.Sets = append(sel.Sets, s.Name)
		for _, p := range s.Attrs {
			if !seenAttr[p] {
				seenAttr[p] = true
				sel.Attrs = append(sel.Attrs, Attr{Path: p, Origin: s.Name})
			}
		}
		for _, e := range s.Extensions {
			if key := strings.ToLower(e); !seenExt[key] {
				seenExt[key] = true
				sel.Extensions = append(sel.Extensions, e)
			}
		}
		for k, v := range s.Settings {
			if sel.Settings == nil {
				sel.Settings = make(map[string]any)
			}
			sel.Settings[k] = deepCopy(v)
		}
	}
	for _, a := range extra {
		if !seenAttr[a.Path] {
			seenAttr[a.Path] = true
			sel.Attrs = append(sel.Attrs, Attr{Path: a.Path, Origin: originOrExtra(a.Origin)})
		}
	}
	return sel, nil
}

func originOrExtra(origin string) string {
	if origin == "" {
		return OriginExtra
	}
	return origin
}
