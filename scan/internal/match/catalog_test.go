package match_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/sbom/sbomtest"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/scan/internal/match"
)

// TestCatalogCoverage measures the coverage of the universe's whole
// catalog, every attribute of the built-in sets with its closure, from
// the SBOM of its derivations as the build makes it: at least 90% of its
// Nix packages have a matchable source, and every set attribute has one,
// unless upstream keeps no git tags that name its releases (a nix.Limit,
// such as GnuCOBOL's Subversion). Every package that cannot be matched
// says why. It logs the coverage by fetcher and key.
func TestCatalogCoverage(t *testing.T) {
	store, env := testenv.SharedNixEnv(t)
	d := &nix.Driver{Store: store, Env: env, FlakeArgs: []string{"--override-input", "nixpkgs", testenv.UniverseRef(t)}}
	doc, closure := sbomtest.Build(t, d, catalog.Request("x86_64-linux", nil), sbom.Meta{Kind: "catalog", System: "x86_64-linux", Epoch: time.Unix(1, 0)})
	cov := match.CoverageOf(doc, false)
	if cov.Total != closure.Len() {
		t.Errorf("coverage of %d packages, for a closure of %d", cov.Total, closure.Len())
	}
	if cov.Matchable*10 < cov.Total*9 {
		t.Errorf("%d of %d Nix packages have a matchable source, fewer than 90%%", cov.Matchable, cov.Total)
	}
	limits := map[string]bool{}
	for _, l := range nix.Limits {
		limits[l.Why] = true
	}
	attrs := map[string][]string{}
	for _, c := range doc.Components {
		attrs[c.Path] = c.Attrs
	}
	shapes := map[string][]string{}
	for i, p := range cov.Packages {
		c := doc.Components[i]
		fetcher, note := "no source", ""
		if c.Source != nil {
			fetcher, note = cmp.Or(c.Source.Fetcher, "other"), c.Source.Note
		}
		key := cmp.Or(p.Kind, "none")
		if p.Rule != "" {
			key += " (" + p.Rule + ")"
		}
		shapes[fetcher+", "+key] = append(shapes[fetcher+", "+key], p.Name)
		switch {
		case p.Matchable():
		case p.Reason == "":
			t.Errorf("%s cannot be matched, and says not why", p.StorePath)
		case len(attrs[p.StorePath]) > 0 && !limits[note]:
			t.Errorf("set attribute %v (%s) cannot be matched: %s", attrs[p.StorePath], p.StorePath, p.Reason)
		}
	}
	var lines []string
	for s, names := range shapes {
		slices.Sort(names)
		lines = append(lines, fmt.Sprintf("%3d  %s: %s", len(names), s, strings.Join(slices.Compact(names), " ")))
	}
	slices.Sort(lines)
	t.Logf("%d of %d Nix packages have a matchable source; by fetcher and key:\n%s", cov.Matchable, cov.Total, strings.Join(lines, "\n"))
}
