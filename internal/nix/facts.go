package nix

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Facts is what Nix knows about how one store path was made: its
// derivation's name, version, source and patches.
type Facts struct {
	// Path is the store path.
	Path string `json:"path"`
	// Deriver is the derivation that outputs Path, or "" when none of the
	// derivations does.
	Deriver string `json:"deriver,omitempty"`
	// Output is the name of the output of Deriver that Path is, such as
	// "out" or "lib".
	Output string `json:"output,omitempty"`
	// Name is the derivation's name, or the store path's name when there
	// is no derivation.
	Name string `json:"name"`
	// Pname and Version come from the derivation's pname and version
	// attributes, or else from Name, split as Nix's parseDrvName does.
	Pname   string `json:"pname"`
	Version string `json:"version,omitempty"`
	// Source is where the derivation's src came from, or nil without one.
	Source *Source `json:"source,omitempty"`
	// Patches are the derivation's patches, in its order.
	Patches []Patch `json:"patches,omitempty"`
	// Fallback is set when no derivation outputs Path (a source file
	// added to the store, or a path whose derivation is unknown): every
	// other fact then comes from the store path's name.
	Fallback bool `json:"fallback,omitempty"`
}

// Source is the origin of a derivation's src, from the environment of the
// derivation that fetched it, as nixpkgs' fetchers leave it.
type Source struct {
	// Path is the src store path.
	Path string `json:"path"`
	// URLs are the fetcher's url and urls, in that order, without repeats.
	URLs []string `json:"urls,omitempty"`
	// Repository is the git repository, such as
	// "https://github.com/madler/zlib", when the fetcher names one: a
	// GitHub archive URL, or a git URL with a rev (fetchgit).
	Repository string `json:"repository,omitempty"`
	// Tag is the git tag the source is at, when the fetcher says so.
	Tag string `json:"tag,omitempty"`
	// Commit is the full git commit hash, when the fetcher gives one.
	Commit string `json:"commit,omitempty"`
	// Fetcher is the nixpkgs fetcher the source came from, as its
	// derivation shows it: fetchurl, fetchzip, fetchFromGitHub,
	// fetchFromGitLab, fetchFromGitea, fetchFromSourcehut or fetchgit; ""
	// when no fetcher made it (a file of nixpkgs, or an unknown builder).
	Fetcher string `json:"fetcher,omitempty"`
	// Rule names how Repository and Tag were read from a URL, when the
	// fetcher's own attributes did not name them: a forge's download URL
	// (such as "GitHub release asset" or "cgit snapshot"), a rule of
	// Rules for a vendor site or a mirror (such as "gnu" or "python.org"),
	// or "meta.identifiers" for nixpkgs' own purl of the package.
	Rule string `json:"rule,omitempty"`
	// Via are the names of the derivations between the package and the
	// fetch, such as a patched or filtered copy of the source, outermost
	// first.
	Via []string `json:"via,omitempty"`
	// Note says why the source names no repository, or names a commit
	// and no tag, when it does.
	Note string `json:"note,omitempty"`
}

// Patch is one of a derivation's patches.
type Patch struct {
	// Path is the patch's store path.
	Path string `json:"path"`
	// Name is its base name without the hash, such as
	// "CVE-2024-5535.patch".
	Name string `json:"name"`
	// CVEs are the CVE IDs in Name, upper-case, sorted.
	CVEs []string `json:"cves,omitempty"`
}

// ClosureFacts returns the facts of every path of c, sorted by path, from
// drvs (the output of [Driver.Derivations] on the build's own derivations,
// flake.Plan.Derivations). A path is matched with the derivation of drvs
// that lists it as an output, the first by .drv path when several do,
// rather than with the deriver path-info gives: a substituted path's
// deriver may be another derivation with the same output, absent from the
// store, and the store may hold another system's derivation of a
// fixed-output path.
func ClosureFacts(c *Closure, drvs map[string]Derivation) []Facts {
	g := newDrvGraph(drvs)
	facts := make([]Facts, 0, c.Len())
	for _, p := range c.Paths() {
		m, ok := g.byOutput[p]
		if !ok {
			facts = append(facts, fallbackFacts(p))
			continue
		}
		facts = append(facts, g.facts(p, drvs[m.drv], m.output))
	}
	return facts
}

// drvGraph is a build's derivations, with the derivation of each output.
type drvGraph struct {
	drvs     map[string]Derivation
	byOutput map[string]struct{ drv, output string }
}

func newDrvGraph(drvs map[string]Derivation) *drvGraph {
	g := &drvGraph{drvs: drvs, byOutput: map[string]struct{ drv, output string }{}}
	for _, p := range slices.Sorted(maps.Keys(drvs)) {
		for name, out := range drvs[p].Outputs {
			if _, seen := g.byOutput[out]; !seen {
				g.byOutput[out] = struct{ drv, output string }{p, name}
			}
		}
	}
	return g
}

// fallbackFacts are the facts of a path without a derivation.
func fallbackFacts(p string) Facts {
	name := StoreName(p)
	pname, version := ParseDrvName(name)
	return Facts{Path: p, Name: name, Pname: pname, Version: version, Fallback: true}
}

// facts are the facts of the path p, output output of drv. Its attributes
// are read whether they are flat or structured (see Derivation.Attr).
func (g *drvGraph) facts(p string, drv Derivation, output string) Facts {
	f := Facts{Path: p, Deriver: drv.Path, Output: output, Name: drv.Name}
	f.Pname, f.Version = ParseDrvName(drv.Name)
	if pname := drv.Attr("pname"); pname != "" {
		f.Pname = pname
		f.Version = drv.Attr("version")
	}
	src := drv.Attr("src")
	if srcs := drv.Attrs("srcs"); src == "" && len(srcs) > 0 {
		// Several sources, such as tzdata's data and code: the first.
		src = srcs[0]
	}
	switch {
	case checkStorePath(src) == nil:
		f.Source = g.sourceOf(src)
	case drv.Has("outputHash"):
		// A fetch in the closure itself, such as cacert's certdata.
		f.Source = &Source{Path: p}
		fetched(f.Source, drv)
	default:
		f.Source = &Source{Note: "no src: built from its inputs alone (a wrapper, an environment or generated files)"}
	}
	for _, pt := range drv.Attrs("patches") {
		if checkStorePath(pt) != nil {
			continue
		}
		name := StoreName(pt)
		f.Patches = append(f.Patches, Patch{Path: pt, Name: name, CVEs: CVEIDs(name)})
	}
	return f
}

// StoreName returns the name part of a store path: its base name without
// the hash, such as "zlib-1.3.1".
func StoreName(p string) string {
	base := path.Base(p)
	if len(base) > storeHashLen+1 && base[storeHashLen] == '-' {
		return base[storeHashLen+1:]
	}
	return base
}

// cveID matches a CVE ID anywhere, in any case.
var cveID = regexp.MustCompile(`(?i)CVE-\d{4}-\d{4,}`)

// CVEIDs returns the CVE IDs in s, upper-case, sorted, without repeats.
func CVEIDs(s string) []string {
	var ids []string
	for _, id := range cveID.FindAllString(s, -1) {
		ids = append(ids, strings.ToUpper(id))
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// ParseDrvName splits a derivation name as Nix's builtins.parseDrvName
// does: the version starts after the first dash that is not followed by a
// letter ("openssl-3.0.14" gives "openssl" and "3.0.14"; "nss-cacert" has
// no version).
func ParseDrvName(name string) (pname, version string) {
	for i := 0; i+1 < len(name); i++ {
		c := name[i+1]
		if name[i] == '-' && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return name[:i], name[i+1:]
		}
	}
	return name, ""
}
