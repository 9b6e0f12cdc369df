package layers

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// unit is a set of store paths that the planner keeps together: a
// signature group, a block, or a layer under construction. The paths of
// different units never overlap.
type unit struct {
	paths  []string // sorted, not empty
	attrs  attrSet  // signature
	uses   attrSet  // the sets that bring the unit in: those that meet attrs
	size   int64    // sum of the paths' NAR sizes
	large  bool     // whether a path is large (see Budget.LargePath)
	groups int      // signature groups merged into the unit
	kind   string   // layer kind, for image-level units
	block  int      // block index of a partial layer; -1 if none
	id     string   // computed by ID
}

// ID returns the unit's identifier, computed from its paths by [pathsID].
func (u *unit) ID() string {
	if u.id == "" {
		u.id = pathsID(u.paths)
	}
	return u.id
}

// pathsID returns "sha256:" and the hex SHA-256 of the sorted paths, each
// followed by a newline. It identifies a block or layer by its content
// listing: equal lists, equal IDs.
func pathsID(paths []string) string {
	h := sha256.New()
	for _, p := range paths {
		h.Write([]byte(p))
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// splitLarge returns the units with every large path of a unit of several
// paths moved to a unit of its own, with the same signature, and marks the
// units that hold a large path. size gives the NAR size of a path. Units
// keep their order, and the large paths of a unit follow what remains of
// it.
func splitLarge(units []*unit, b Budget, size func(string) int64) []*unit {
	var out []*unit
	for _, u := range units {
		if len(u.paths) == 1 {
			u.large = b.isLarge(size(u.paths[0]))
			out = append(out, u)
			continue
		}
		var small, large []string
		for _, p := range u.paths {
			if b.isLarge(size(p)) {
				large = append(large, p)
			} else {
				small = append(small, p)
			}
		}
		if len(large) == 0 {
			out = append(out, u)
			continue
		}
		if len(small) > 0 {
			rest := *u
			rest.paths, rest.size, rest.large, rest.id = small, 0, false, ""
			for _, p := range small {
				rest.size += size(p)
			}
			out = append(out, &rest)
		}
		for _, p := range large {
			alone := *u
			alone.paths, alone.size, alone.large, alone.id = []string{p}, size(p), true, ""
			out = append(out, &alone)
		}
	}
	return out
}

// byFirstPath orders units by their first path, the order mergeUnits
// expects. Units do not overlap, so the order is total.
func byFirstPath(a, b *unit) int { return strings.Compare(a.paths[0], b.paths[0]) }

// layerOrder orders units as layers: most attributes first (the most
// widely shared content lowest in the image), then by ID.
func layerOrder(a, b *unit) int {
	if n, m := a.attrs.len(), b.attrs.len(); n != m {
		return m - n
	}
	return strings.Compare(a.ID(), b.ID())
}

// sortUnits sorts units with cmp and returns them.
func sortUnits(units []*unit, cmp func(a, b *unit) int) []*unit {
	slices.SortFunc(units, cmp)
	return units
}
