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
	// Rule names the rule that gave Repository and Tag from a URL the
	// fetcher gave no repository for (see Rules), such as "gnu" or
	// "python.org"; "" when the fetcher's own attributes or a forge's URL
	// named them.
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
// drvs (the output of [Driver.Derivations] on c's roots). A path is
// matched with the derivation that lists it as an output, rather than with
// the deriver path-info gives: a substituted path's deriver may be another
// derivation with the same output, absent from the store.
func ClosureFacts(c *Closure, drvs map[string]Derivation) []Facts {
	byOutput := map[string]struct{ drv, output string }{}
	for _, p := range slices.Sorted(maps.Keys(drvs)) {
		for name, out := range drvs[p].Outputs {
			if _, seen := byOutput[out]; !seen {
				byOutput[out] = struct{ drv, output string }{p, name}
			}
		}
	}
	facts := make([]Facts, 0, c.Len())
	for _, p := range c.Paths() {
		m, ok := byOutput[p]
		if !ok {
			facts = append(facts, fallbackFacts(p))
			continue
		}
		facts = append(facts, derivationFacts(p, drvs[m.drv], m.output, byOutput, drvs))
	}
	return facts
}

// fallbackFacts are the facts of a path without a derivation.
func fallbackFacts(p string) Facts {
	name := StoreName(p)
	pname, version := ParseDrvName(name)
	return Facts{Path: p, Name: name, Pname: pname, Version: version, Fallback: true}
}

func derivationFacts(p string, drv Derivation, output string, byOutput map[string]struct{ drv, output string }, drvs map[string]Derivation) Facts {
	f := Facts{Path: p, Deriver: drv.Path, Output: output, Name: drv.Name}
	f.Pname, f.Version = ParseDrvName(drv.Name)
	if pname := drv.Env["pname"]; pname != "" {
		f.Pname = pname
		f.Version = drv.Env["version"]
	}
	if src := drv.Env["src"]; checkStorePath(src) == nil {
		f.Source = &Source{Path: src}
		if m, ok := byOutput[src]; ok {
			*f.Source = sourceOf(src, drvs[m.drv].Env)
		}
	}
	for _, pt := range strings.Fields(drv.Env["patches"]) {
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
