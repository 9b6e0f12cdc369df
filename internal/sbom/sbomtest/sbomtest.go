package sbomtest

import (
	"testing"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// Build builds req with d, which names the nixpkgs to use (the test
// universe), through nixlayer's flake, as the pipeline does: the lock, the
// plan, the build, the closure of its roots and the derivations of the
// plan, of which it makes the SBOM with meta. It returns the SBOM and the
// closure it describes.
func Build(t testing.TB, d *nix.Driver, req flake.Request, meta sbom.Meta) (*sbom.Document, *nix.Closure) {
	t.Helper()
	ctx := t.Context()
	w, err := flake.Prepare(t.TempDir(), nixflake.Files, req)
	if err != nil {
		t.Fatal(err)
	}
	locked, err := w.Lock(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.Plan(ctx, locked)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := w.Build(ctx, locked, plan)
	if err != nil {
		t.Fatal(err)
	}
	closure, err := locked.PathInfo(ctx, roots...)
	if err != nil {
		t.Fatal(err)
	}
	drvs, err := locked.Derivations(ctx, plan.Derivations()...)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.New(meta, closure, drvs, plan)
	if err != nil {
		t.Fatal(err)
	}
	return doc, closure
}
