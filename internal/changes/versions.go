package changes

import (
	"cmp"
	"slices"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/version"
)

// ClassOrder is the order of the version table and of the summary's
// counts: what needs the most attention first.
var ClassOrder = []version.Class{version.Major, version.Minor, version.Patch, version.Other, version.Downgrade}

// CompareVersions compares two lenient plans of the same attributes (see
// flake.Request.Lenient), at the old and the new pin. It returns the
// version changes, ordered by ClassOrder and then by attribute; the
// attributes only the new plan describes (added) and only the old one
// (removed), each with the reason the other lacks it, sorted; and the
// attributes whose version stays but whose out path changes (rebuilt),
// sorted.
func CompareVersions(old, new *flake.Plan) (versions []VersionChange, added, removed []Attr, rebuilt []string) {
	before := byAttr(old)
	after := byAttr(new)
	for attr, n := range after {
		o, ok := before[attr]
		switch {
		case !ok:
			added = append(added, Attr{Attr: attr, Pname: n.Pname, Version: n.Version, Reason: reason(old, attr)})
		case o.Version != n.Version:
			versions = append(versions, VersionChange{Attr: attr, Pname: n.Pname, Old: o.Version, New: n.Version, Class: version.Classify(o.Version, n.Version)})
		case o.OutPath != n.OutPath:
			rebuilt = append(rebuilt, attr)
		}
	}
	for attr, o := range before {
		if _, ok := after[attr]; !ok {
			removed = append(removed, Attr{Attr: attr, Pname: o.Pname, Version: o.Version, Reason: reason(new, attr)})
		}
	}
	slices.SortFunc(versions, func(a, b VersionChange) int {
		return cmp.Or(cmp.Compare(classRank(a.Class), classRank(b.Class)), cmp.Compare(a.Attr, b.Attr))
	})
	byName := func(a, b Attr) int { return cmp.Compare(a.Attr, b.Attr) }
	slices.SortFunc(added, byName)
	slices.SortFunc(removed, byName)
	slices.Sort(rebuilt)
	return versions, added, removed, rebuilt
}

// ClassCounts counts the version changes of each class.
func ClassCounts(versions []VersionChange) map[version.Class]int {
	n := map[version.Class]int{}
	for _, v := range versions {
		n[v.Class]++
	}
	return n
}

// classRank is the place of c in ClassOrder, or after it.
func classRank(c version.Class) int {
	if i := slices.Index(ClassOrder, c); i >= 0 {
		return i
	}
	return len(ClassOrder)
}

func byAttr(p *flake.Plan) map[string]flake.Package {
	m := make(map[string]flake.Package, len(p.Packages))
	for _, pkg := range p.Packages {
		m[pkg.Attr] = pkg
	}
	return m
}

// reason says why plan lacks attr.
func reason(plan *flake.Plan, attr string) string {
	switch {
	case slices.Contains(plan.NotPackages, attr):
		return ReasonNotPackage
	case slices.Contains(plan.Failing, attr):
		return ReasonFailing
	}
	return ReasonMissing
}
