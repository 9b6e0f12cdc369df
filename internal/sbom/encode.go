package sbom

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/uuid"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// The properties nixlayer adds to CycloneDX, in its own namespace.
const (
	propKind     = "nixlayer:image:kind"
	propSet      = "nixlayer:image:set"
	propSystem   = "nixlayer:image:system"
	propNixpkgs  = "nixlayer:image:nixpkgs"
	propNarHash  = "nixlayer:nix:narHash"
	propAttr     = "nixlayer:nix:attr"
	propFallback = "nixlayer:nix:fallback"
	propSrcPath  = "nixlayer:source:path"
	propSrcURL   = "nixlayer:source:url"
	propSrcRepo  = "nixlayer:source:repository"
	propSrcTag   = "nixlayer:source:tag"
	propSrcRev   = "nixlayer:source:commit"
	propSrcFetch = "nixlayer:source:fetcher"
	propSrcRule  = "nixlayer:source:rule"
	propSrcVia   = "nixlayer:source:via"
	propSrcNote  = "nixlayer:source:note"
)

// fallbackValue is the value of the fallback property: where the facts of
// a path without a derivation came from.
const fallbackValue = "store-name"

// imageRef is the bom-ref of the image, the SBOM's metadata component.
const imageRef = "image"

// serialNamespace is the UUID namespace of SBOM serial numbers: a serial
// number is the name-based (SHA-1, version 5) UUID of the SBOM's bytes
// without it, so the same SBOM always has the same one.
var serialNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/nixlayer/nixlayer/sbom"))

// Digest returns the digest of an encoded SBOM, "sha256:<hex>", the value
// of the image label [Label].
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Encode writes the document as CycloneDX 1.6 JSON, indented, ending in a
// newline. The same document gives the same bytes.
func (d *Document) Encode() ([]byte, error) {
	bom := d.bom()
	data, err := encode(bom)
	if err != nil {
		return nil, err
	}
	bom.SerialNumber = "urn:uuid:" + uuid.NewSHA1(serialNamespace, data).String()
	return encode(bom)
}

func encode(bom *cdx.BOM) ([]byte, error) {
	var buf bytes.Buffer
	enc := cdx.NewBOMEncoder(&buf, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return nil, fmt.Errorf("encoding the SBOM: %w", err)
	}
	return buf.Bytes(), nil
}

// bom converts the document to CycloneDX.
func (d *Document) bom() *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.Version = 1
	props := []cdx.Property{{Name: propKind, Value: d.Meta.Kind}}
	for _, s := range d.Meta.Sets {
		props = append(props, cdx.Property{Name: propSet, Value: s})
	}
	props = appendProp(props, propSystem, d.Meta.System)
	props = appendProp(props, propNixpkgs, d.Meta.Nixpkgs)
	bom.Metadata = &cdx.Metadata{
		Timestamp: d.Meta.Epoch.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{
			{Type: cdx.ComponentTypeApplication, Name: "nixlayer"},
		}},
		Component: &cdx.Component{BOMRef: imageRef, Type: cdx.ComponentTypeContainer,
			Name: "nixlayer/" + d.Meta.Kind, Properties: &props},
	}
	comps := make([]cdx.Component, 0, len(d.Components))
	deps := []cdx.Dependency{{Ref: imageRef, Dependencies: ptr(roots(d.Components))}}
	for _, c := range d.Components {
		comps = append(comps, c.cdx())
		dep := cdx.Dependency{Ref: c.Path}
		if len(c.DependsOn) > 0 {
			dep.Dependencies = ptr(slices.Clone(c.DependsOn))
		}
		deps = append(deps, dep)
	}
	bom.Components = &comps
	bom.Dependencies = &deps
	return bom
}

// roots are the components no other component depends on.
func roots(cs []Component) []string {
	used := map[string]bool{}
	for _, c := range cs {
		for _, d := range c.DependsOn {
			used[d] = true
		}
	}
	var out []string
	for _, c := range cs {
		if !used[c.Path] {
			out = append(out, c.Path)
		}
	}
	return out
}

func (c Component) cdx() cdx.Component {
	out := cdx.Component{BOMRef: c.Path, Type: cdx.ComponentTypeLibrary, Name: c.Name,
		Version: c.Version, CPE: c.CPE, PackageURL: c.PURL}
	var props []cdx.Property
	props = appendProp(props, propNarHash, c.NarHash)
	for _, a := range c.Attrs {
		props = appendProp(props, propAttr, a)
	}
	if c.Fallback {
		props = appendProp(props, propFallback, fallbackValue)
	}
	if s := c.Source; s != nil {
		props = appendProp(props, propSrcPath, s.Path)
		for _, u := range s.URLs {
			props = appendProp(props, propSrcURL, u)
		}
		props = appendProp(props, propSrcRepo, s.Repository)
		props = appendProp(props, propSrcTag, s.Tag)
		props = appendProp(props, propSrcRev, s.Commit)
		props = appendProp(props, propSrcFetch, s.Fetcher)
		props = appendProp(props, propSrcRule, s.Rule)
		for _, v := range s.Via {
			props = appendProp(props, propSrcVia, v)
		}
		props = appendProp(props, propSrcNote, s.Note)
		if refs := sourceRefs(s); len(refs) > 0 {
			out.ExternalReferences = ptr(refs)
		}
	}
	out.Properties = &props
	if len(c.Licenses) > 0 {
		out.Licenses = ptr(licenseChoices(c.Licenses))
	}
	if len(c.Patches) > 0 {
		patches := make([]cdx.Patch, 0, len(c.Patches))
		for _, p := range c.Patches {
			patches = append(patches, patchOf(p))
		}
		out.Pedigree = &cdx.Pedigree{Patches: &patches}
	}
	return out
}

// sourceRefs are the external references of a source: the repository
// (vcs), then each URL (distribution).
func sourceRefs(s *nix.Source) []cdx.ExternalReference {
	var refs []cdx.ExternalReference
	if s.Repository != "" {
		var at []string
		if s.Tag != "" {
			at = append(at, "tag "+s.Tag)
		}
		if s.Commit != "" {
			at = append(at, "commit "+s.Commit)
		}
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeVCS, URL: s.Repository, Comment: strings.Join(at, ", ")})
	}
	for _, u := range s.URLs {
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeDistribution, URL: u})
	}
	return refs
}

// patchOf is a patch in CycloneDX: its store path (or URL, or else name)
// as the diff,
// and the CVEs its name says it fixes as the issues it resolves.
func patchOf(p nix.Patch) cdx.Patch {
	out := cdx.Patch{Type: cdx.PatchTypeUnofficial, Diff: &cdx.Diff{URL: cmp.Or(p.Path, p.Name)}}
	if len(p.CVEs) > 0 {
		out.Type = cdx.PatchTypeBackport
		issues := make([]cdx.Issue, 0, len(p.CVEs))
		for _, id := range p.CVEs {
			issues = append(issues, cdx.Issue{Type: cdx.IssueTypeSecurity, ID: id, Name: p.Name,
				Description: "fixed by " + p.Name})
		}
		out.Resolves = &issues
	}
	return out
}

// patchName is the name of a patch whose diff is at u: a store path's name,
// or a URL's base name.
func patchName(u string) string {
	if strings.HasPrefix(u, nix.DefaultStoreDir+"/") {
		return nix.StoreName(u)
	}
	return path.Base(u)
}

func appendProp(props []cdx.Property, name, value string) []cdx.Property {
	if value == "" {
		return props
	}
	return append(props, cdx.Property{Name: name, Value: value})
}

func ptr[T any](v T) *T { return &v }
