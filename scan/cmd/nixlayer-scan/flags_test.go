package main

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/scanner"
)

// TestArgsParse parses the command lines that nixlayer writes for this
// program (scanner.Args, which the CLI's nixlayer scan, the Dagger
// module's scan plan and the nixpkgs update use) with this program's own
// flags: a flag renamed on either side fails it.
func TestArgsParse(t *testing.T) {
	all := scanner.Args{
		FailOn: scanner.Critical, ExitZero: true, Name: "runtime (linux/amd64)", SBOM: "sbom.cdx.json", DB: "/osv", Cache: "/cache",
		Ignore: "osv-scanner.toml", Online: true, Image: "runtime.tar",
		Outputs: []scanner.Output{{Format: scanner.JSON, File: "findings.json"}, {Format: scanner.SARIF, File: "results.sarif"}, {Format: scanner.Markdown}},
	}
	got, err := parseFlags(all.Argv(), io.Discard, func(string) string { return "" })
	if err != nil {
		t.Fatalf("parsing %q: %v", all.Argv(), err)
	}
	want := &flags{
		image: all.Image, name: all.Name, sbomFile: all.SBOM, db: all.DB, cache: all.Cache, ignore: all.Ignore,
		failOn: all.FailOn, outputs: all.Outputs, exitZero: true, online: true,
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(flags{})); diff != "" {
		t.Errorf("%q parsed (-want +got):\n%s", all.Argv(), diff)
	}
	// The defaults: no threshold is this program's default, and an SBOM
	// alone is a scan without an image.
	got, err = parseFlags(scanner.Args{SBOM: "sbom.cdx.json"}.Argv(), io.Discard, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got.failOn != scanner.DefaultThreshold || got.image != "" || got.sbomFile != "sbom.cdx.json" {
		t.Errorf("an SBOM alone parsed as %+v", got)
	}
}
