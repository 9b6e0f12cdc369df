package sbom

import (
	_ "embed"
	"encoding/json"
	"sync"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// spdxSchema is CycloneDX's list of SPDX licence identifiers (see
// schema/README.md), the same one its JSON schema checks "id" against.
//
//go:embed schema/spdx.schema.json
var spdxSchema []byte

var spdxIDs = sync.OnceValue(func() map[string]bool {
	var s struct {
		Enum []string `json:"enum"`
	}
	// A broken list (which TestSPDXList rules out) only makes every
	// licence a name.
	_ = json.Unmarshal(spdxSchema, &s)
	ids := make(map[string]bool, len(s.Enum))
	for _, id := range s.Enum {
		ids[id] = true
	}
	return ids
})

// licenseChoices are licences in CycloneDX: an SPDX identifier as "id",
// anything else (a nixpkgs short name) as "name".
func licenseChoices(licenses []string) cdx.Licenses {
	out := make(cdx.Licenses, 0, len(licenses))
	for _, l := range licenses {
		lic := &cdx.License{Name: l}
		if spdxIDs()[l] {
			lic = &cdx.License{ID: l}
		}
		out = append(out, cdx.LicenseChoice{License: lic})
	}
	return out
}
