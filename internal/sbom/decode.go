package sbom

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// Decode reads an SBOM that [Document.Encode] wrote, such as the one at
// [Path] in an image. It fails on anything that is not CycloneDX JSON from
// nixlayer: a component without a store path as its bom-ref, or no image
// metadata.
func Decode(data []byte) (*Document, error) {
	doc, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("decoding the SBOM: %w", err)
	}
	return doc, nil
}

func decode(data []byte) (*Document, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("want a CycloneDX JSON object, got %.20q", data)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		return nil, err
	}
	if bom.BOMFormat != cdx.BOMFormat {
		return nil, fmt.Errorf("bomFormat is %q, not %q", bom.BOMFormat, cdx.BOMFormat)
	}
	if bom.Metadata == nil || bom.Metadata.Component == nil || bom.Metadata.Component.BOMRef != imageRef {
		return nil, errors.New("no image in the metadata: not an SBOM that nixlayer wrote")
	}
	doc := &Document{}
	if ts := bom.Metadata.Timestamp; ts != "" {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			return nil, fmt.Errorf("metadata timestamp: %w", err)
		}
		doc.Meta.Epoch = t.UTC()
	}
	for _, p := range deref(bom.Metadata.Component.Properties) {
		switch p.Name {
		case propKind:
			doc.Meta.Kind = p.Value
		case propSet:
			doc.Meta.Sets = append(doc.Meta.Sets, p.Value)
		case propSystem:
			doc.Meta.System = p.Value
		case propNixpkgs:
			doc.Meta.Nixpkgs = p.Value
		}
	}
	deps := map[string][]string{}
	for _, d := range deref(bom.Dependencies) {
		deps[d.Ref] = deref(d.Dependencies)
	}
	for i, c := range deref(bom.Components) {
		comp, err := componentOf(c)
		if err != nil {
			return nil, fmt.Errorf("component %d: %w", i, err)
		}
		comp.DependsOn = deps[comp.Path]
		doc.Components = append(doc.Components, comp)
	}
	slices.SortFunc(doc.Components, func(a, b Component) int { return strings.Compare(a.Path, b.Path) })
	for i := 1; i < len(doc.Components); i++ {
		if doc.Components[i].Path == doc.Components[i-1].Path {
			return nil, fmt.Errorf("component %s: listed twice", doc.Components[i].Path)
		}
	}
	return doc, nil
}

func componentOf(c cdx.Component) (Component, error) {
	if !strings.HasPrefix(c.BOMRef, nix.DefaultStoreDir+"/") || nix.StoreName(c.BOMRef) == "" {
		return Component{}, fmt.Errorf("bom-ref %q is not a store path", c.BOMRef)
	}
	out := Component{Path: c.BOMRef, Name: c.Name, Version: c.Version, CPE: c.CPE, PURL: c.PackageURL}
	var src nix.Source
	for _, p := range deref(c.Properties) {
		switch p.Name {
		case propNarHash:
			out.NarHash = p.Value
		case propAttr:
			out.Attrs = append(out.Attrs, p.Value)
		case propFallback:
			out.Fallback = p.Value == fallbackValue
		case propSrcPath:
			src.Path = p.Value
		case propSrcURL:
			src.URLs = append(src.URLs, p.Value)
		case propSrcRepo:
			src.Repository = p.Value
		case propSrcTag:
			src.Tag = p.Value
		case propSrcRev:
			src.Commit = p.Value
		case propSrcFetch:
			src.Fetcher = p.Value
		case propSrcRule:
			src.Rule = p.Value
		case propSrcVia:
			src.Via = append(src.Via, p.Value)
		case propSrcNote:
			src.Note = p.Value
		}
	}
	if src.Path != "" || len(src.URLs) > 0 || src.Repository != "" || src.Note != "" {
		out.Source = &src
	}
	var licenses cdx.Licenses
	if c.Licenses != nil {
		licenses = *c.Licenses
	}
	for _, l := range licenses {
		if l.License != nil {
			out.Licenses = append(out.Licenses, cmp.Or(l.License.ID, l.License.Name))
		}
	}
	if c.Pedigree != nil {
		for _, p := range deref(c.Pedigree.Patches) {
			var pt nix.Patch
			if p.Diff != nil {
				pt.Name = patchName(p.Diff.URL)
				if strings.HasPrefix(p.Diff.URL, nix.DefaultStoreDir+"/") || strings.Contains(p.Diff.URL, "://") {
					pt.Path = p.Diff.URL
				}
			}
			for _, is := range deref(p.Resolves) {
				pt.CVEs = append(pt.CVEs, is.ID)
				pt.Name = cmp.Or(pt.Name, is.Name)
			}
			out.Patches = append(out.Patches, pt)
		}
	}
	return out, nil
}

func deref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}
