package update

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestFindings reads the scan module's golden JSON report, the scanner's
// real output format: findings are named by the catalog attribute of
// their store path (the first of those sharing it) or by package name, and
// the suppressed and low-confidence ones are left out.
func TestFindings(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "scan", "internal", "report", "testdata", "scan.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	const zlib = "/nix/store/0a2jkvb6dcq8dmcjrmjnxxf2yb9qwb3r-zlib-1.2.13"
	cat := layers.Catalog{Roots: map[string]string{"zlib": zlib, "zlib-ng": zlib, "shadow": "/nix/store/1b3kmwc7fdr9fndkrnkpyyg3zc0rxc4s-shadow-4.13"}}
	got, err := Findings(data, cat)
	if err != nil {
		t.Fatal(err)
	}
	want := []changes.Finding{
		{ID: "OSV-1", Severity: scanner.Critical, Attr: "zlib", Package: "zlib", Version: "1.2.13"},
		{ID: "OSV-2", Severity: scanner.Medium, Attr: "pip", Package: "pip", Version: "24.2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Findings (-want +got):\n%s", diff)
	}
	if _, err := Findings([]byte(`{"findings": [`), cat); err == nil {
		t.Error("a truncated report decoded")
	}
}

// TestCatalogSBOMFromCache makes the SBOM of a catalog whose paths are
// not in the store, as a binary cache's narinfo files give it: Nix refuses
// to show derivations it lacks, so the SBOM has the plan's facts, with the
// source that OSV matches; a catalog that was built must have them.
func TestCatalogSBOMFromCache(t *testing.T) {
	store, env := testenv.SharedNixEnv(t)
	const (
		app  = "/nix/store/7y2sdl0dq2ks1j3a3jbxqn8m7vpl8hlz-bats-1.11.0"
		dep  = "/nix/store/1c8yvb4ygb0pq0mhvxq7hd8dw3d4kp6s-libfoo-2.1"
		hash = "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0="
	)
	graph, err := nix.NewClosure([]nix.PathInfo{
		{Path: app, NarHash: hash, NarSize: 10, References: []string{dep}},
		{Path: dep, NarHash: hash, NarSize: 20},
	})
	if err != nil {
		t.Fatal(err)
	}
	const batsURL = "https://github.com/bats-core/bats-core/archive/v1.11.0.tar.gz"
	in := ScanInput{
		Pin:     lock.Pin{Rev: strings.Repeat("ab", 20), LastModified: 1783000000},
		Plan:    &flake.Plan{Packages: []flake.Package{{Attr: "bats", OutPath: app, Pname: "bats", Version: "1.11.0", Src: &flake.Source{URL: batsURL, Owner: "bats-core", Repo: "bats-core", Rev: "v1.11.0"}}}},
		Catalog: layers.Catalog{Roots: map[string]string{"bats": app}, Graph: graph},
		System:  "x86_64-linux",
	}
	s := ProgramScanner{Driver: &nix.Driver{Store: store, Env: env}}
	doc, err := s.catalogSBOM(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	var got []sbom.Component
	for _, c := range doc.Components {
		got = append(got, sbom.Component{Path: c.Path, Name: c.Name, Version: c.Version, Attrs: c.Attrs, Fallback: c.Fallback, Source: c.Source})
	}
	want := []sbom.Component{
		{Path: dep, Name: "libfoo", Version: "2.1", Fallback: true},
		{Path: app, Name: "bats", Version: "1.11.0", Attrs: []string{"bats"}, Fallback: true,
			Source: &nix.Source{URLs: []string{batsURL}, Repository: "https://github.com/bats-core/bats-core", Tag: "v1.11.0"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the SBOM's components (-want +got):\n%s", diff)
	}
	if doc.Meta.Kind != CatalogKind || doc.Meta.Nixpkgs != in.Pin.Rev || !doc.Meta.Epoch.Equal(in.Pin.Time()) {
		t.Errorf("the SBOM's meta %+v", doc.Meta)
	}
	in.Built = true
	if _, err := s.catalogSBOM(t.Context(), in); err == nil || !strings.HasPrefix(err.Error(), "reading the derivations of the catalog: ") {
		t.Errorf("a built catalog without derivations: %v", err)
	}
}
