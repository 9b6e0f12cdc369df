package layers

import (
	"fmt"
	"slices"
	"strings"
)

// Set is a group of catalog attributes that images take together: a
// package set, built in or a project's, or the attributes that every image
// of a kind holds. [Partition] prices a merge by the sets that would bring
// in a part of it without needing that part.
type Set struct {
	// Name names the set in [Merge.FromSets].
	Name string `json:"name"`
	// Attrs holds the set's attributes; those outside the catalog do not
	// count.
	Attrs []string `json:"attrs"`
}

// usage is what Partition knows of the sets: the names of those that hold
// a catalog attribute, then one set of its own for each catalog attribute
// that no set holds, named after it, and for each catalog attribute, the
// sets that hold it.
type usage struct {
	names  []string
	ofAttr []attrSet // by attribute index
}

// newUsage returns the usage of the sets over the catalog attributes
// attrs, sorted. A set's name must not be empty or repeated.
func newUsage(attrs []string, sets []Set) (*usage, error) {
	var kept []Set
	seen := map[string]bool{}
	for _, s := range sets {
		switch {
		case s.Name == "":
			return nil, fmt.Errorf("a set with attributes %s has no name", strings.Join(s.Attrs, ", "))
		case seen[s.Name]:
			return nil, fmt.Errorf("set %q is given twice", s.Name)
		}
		seen[s.Name] = true
		if slices.ContainsFunc(s.Attrs, func(a string) bool { _, ok := slices.BinarySearch(attrs, a); return ok }) {
			kept = append(kept, s)
		}
	}
	slices.SortFunc(kept, func(a, b Set) int { return strings.Compare(a.Name, b.Name) })

	held := make([][]int, len(attrs)) // attribute → indices of the sets that hold it
	u := &usage{}
	for i, s := range kept {
		u.names = append(u.names, s.Name)
		for _, a := range s.Attrs {
			if j, ok := slices.BinarySearch(attrs, a); ok && !slices.Contains(held[j], i) {
				held[j] = append(held[j], i)
			}
		}
	}
	for j, a := range attrs {
		if len(held[j]) == 0 {
			held[j] = []int{len(u.names)}
			u.names = append(u.names, a)
		}
	}
	for j := range attrs {
		s := newAttrSet(len(u.names))
		for _, i := range held[j] {
			s.add(i)
		}
		u.ofAttr = append(u.ofAttr, s)
	}
	return u, nil
}

// of returns the sets that hold an attribute of sig.
func (u *usage) of(sig attrSet) attrSet {
	s := newAttrSet(len(u.names))
	for j, set := range u.ofAttr {
		if sig.has(j) {
			s.addAll(set)
		}
	}
	return s
}
