package sbom

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Path is where an image built by nixlayer carries its SBOM.
const Path = "/nix/var/nixlayer/sbom.cdx.json"

// Label is the image label whose value is the SBOM's digest (see
// [Digest]), so that a registry client can check the SBOM without
// unpacking the image.
const Label = "org.nixlayer.sbom"

// MediaType is the SBOM's media type.
const MediaType = "application/vnd.cyclonedx+json"

// Meta describes the image an SBOM is about.
type Meta struct {
	// Kind is the image kind, such as "runtime" or "devcontainer".
	Kind string
	// Sets are the selected sets, in order.
	Sets []string
	// System is the Nix system, such as "x86_64-linux".
	System string
	// Nixpkgs names the nixpkgs the image was built from, such as
	// "github:NixOS/nixpkgs/<rev>".
	Nixpkgs string
	// Epoch is the image's time, the SBOM's timestamp.
	Epoch time.Time
}

// Document is an SBOM: one component per store path of an image's
// closure. [Document.Encode] writes it as CycloneDX 1.6 JSON, and
// [Decode] reads it back.
type Document struct {
	Meta Meta
	// Components are sorted by Path.
	Components []Component
}

// Component is one store path of the closure and what Nix and nixpkgs
// know about it.
type Component struct {
	// Path is the store path, and the component's bom-ref.
	Path string
	// Name and Version are the package's pname and version.
	Name    string
	Version string
	// NarHash is the SRI hash of the path's NAR serialisation.
	NarHash string
	// Attrs are the requested attributes whose out path this is, sorted.
	Attrs []string
	// Source is where the package's source came from, or nil.
	Source *nix.Source
	// Patches are the package's patches, in order.
	Patches []nix.Patch
	// CPE and PURL are nixpkgs' meta.identifiers, where evaluation gave
	// them.
	CPE, PURL string
	// Licenses are SPDX identifiers (or nixpkgs' short names).
	Licenses []string
	// Fallback is set when no derivation made the path: Name and Version
	// then come from the store path's name.
	Fallback bool
	// DependsOn are the store paths this one refers to, sorted.
	DependsOn []string
}

// New makes the SBOM of closure: a component per path, with the facts of
// drvs (from [nix.Driver.Derivations] on the closure's roots) and, for the
// paths that are out paths of plan's packages, the facts evaluation gave
// (source, patches, meta.identifiers and licences). plan may be nil.
func New(meta Meta, closure *nix.Closure, drvs map[string]nix.Derivation, plan *flake.Plan) (*Document, error) {
	if closure == nil {
		return nil, errors.New("making the SBOM: no closure")
	}
	return FromFacts(meta, closure, nix.ClosureFacts(closure, drvs), plan)
}

// FromFacts makes the SBOM of closure as New does, from the facts of its
// paths (nix.ClosureFacts), which a build can keep instead of the
// derivations they come from.
func FromFacts(meta Meta, closure *nix.Closure, facts []nix.Facts, plan *flake.Plan) (*Document, error) {
	if closure == nil {
		return nil, errors.New("making the SBOM: no closure")
	}
	if meta.Epoch.IsZero() {
		return nil, errors.New("making the SBOM: no image time")
	}
	byOut := map[string][]flake.Package{}
	if plan != nil {
		for _, p := range plan.Packages {
			byOut[p.OutPath] = append(byOut[p.OutPath], p)
		}
	}
	doc := &Document{Meta: meta}
	doc.Meta.Sets = slices.Clone(meta.Sets)
	doc.Meta.Epoch = meta.Epoch.UTC()
	for _, f := range facts {
		info, _ := closure.Lookup(f.Path)
		c := Component{Path: f.Path, Name: f.Pname, Version: f.Version, NarHash: info.NarHash,
			Source: f.Source, Patches: f.Patches, Fallback: f.Fallback}
		if refs := closure.References(f.Path); len(refs) > 0 {
			c.DependsOn = refs
		}
		for _, p := range byOut[f.Path] {
			if err := c.merge(p); err != nil {
				return nil, fmt.Errorf("making the SBOM: %s: %w", p.Attr, err)
			}
		}
		slices.Sort(c.Attrs)
		c.Attrs = slices.Compact(c.Attrs)
		slices.Sort(c.Licenses)
		c.Licenses = slices.Compact(c.Licenses)
		doc.Components = append(doc.Components, c)
	}
	return doc, nil
}

// merge adds what evaluation tells about a planned package: derivation
// facts win, evaluation fills what they lack.
func (c *Component) merge(p flake.Package) error {
	c.Attrs = append(c.Attrs, p.Attr)
	if c.Fallback {
		c.Name, c.Version = cmp.Or(p.Pname, c.Name), cmp.Or(p.Version, c.Version)
		for _, pt := range p.Patches {
			c.Patches = append(c.Patches, nix.Patch{Path: pt.URL, Name: pt.Name, CVEs: nix.CVEIDs(pt.Name)})
		}
	}
	if p.Src != nil {
		c.Source = mergeSource(c.Source, p.Src)
	}
	c.Licenses = append(c.Licenses, p.Licenses...)
	ids, err := decodeIdentifiers(p.Identifiers)
	if err != nil {
		return err
	}
	c.CPE, c.PURL = cmp.Or(c.CPE, ids.CPE), cmp.Or(c.PURL, ids.PURL)
	if repo, tag, ok := githubPURL(c.PURL); ok && (c.Source == nil || c.Source.Repository == "") {
		// nixpkgs' meta.identifiers names the release (purlParts of type
		// github, as jq's "jqlang/jq@jq-${version}").
		if c.Source == nil {
			c.Source = &nix.Source{}
		}
		s := *c.Source
		s.Repository, s.Tag, s.Rule, s.Note = repo, tag, "meta.identifiers", ""
		c.Source = &s
	}
	return nil
}

// githubPURL reads the repository and version of a package URL of type
// github (pkg:github/OWNER/REPO@TAG), which nixpkgs' purlParts give.
func githubPURL(purl string) (repo, tag string, ok bool) {
	rest, found := strings.CutPrefix(purl, "pkg:github/")
	if !found {
		return "", "", false
	}
	rest, _, _ = strings.Cut(rest, "?")
	name, version, found := strings.Cut(rest, "@")
	owner, repoName, twoParts := strings.Cut(name, "/")
	if !found || !twoParts || owner == "" || repoName == "" || version == "" {
		return "", "", false
	}
	version, _ = url.PathUnescape(version)
	return "https://github.com/" + owner + "/" + repoName, version, true
}

// mergeSource fills what the derivations did not tell about a source from
// the fetcher's arguments (fetchFromGitHub's owner, repo, rev and tag).
func mergeSource(s *nix.Source, src *flake.Source) *nix.Source {
	if s == nil {
		s = &nix.Source{}
	} else {
		cp := *s
		s = &cp
	}
	if src.URL != "" && !slices.Contains(s.URLs, src.URL) {
		s.URLs = append(s.URLs, src.URL)
	}
	if s.Repository == "" && src.Owner != "" && src.Repo != "" && isGitHub(src.URL) {
		s.Repository = "https://github.com/" + src.Owner + "/" + src.Repo
	}
	if s.Repository == "" && src.GitRepoURL != "" {
		s.Repository = strings.TrimSuffix(src.GitRepoURL, ".git")
	}
	s.Settle(src.Tag, src.Rev)
	return s
}

func isGitHub(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host == "github.com"
}

// identifiers is the part of nixpkgs' meta.identifiers the SBOM keeps.
type identifiers struct {
	CPE, PURL string
}

func decodeIdentifiers(raw json.RawMessage) (identifiers, error) {
	var ids identifiers
	if len(raw) == 0 || string(raw) == "null" {
		return ids, nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return ids, fmt.Errorf("meta.identifiers: %w", err)
	}
	str := func(key string) string {
		var s string
		if json.Unmarshal(all[key], &s) != nil {
			return ""
		}
		return s
	}
	ids.CPE, ids.PURL = str("cpe"), str("purl")
	if ids.PURL == "" {
		var purls []string
		if json.Unmarshal(all["purls"], &purls) == nil && len(purls) > 0 {
			ids.PURL = purls[0]
		}
	}
	return ids, nil
}
