package catalog_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix/nixtest"
	"github.com/nixlayer/nixlayer/internal/sets"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// TestStep reads the catalog with the step that builds and updates take,
// on a fake Nix whose nixpkgs lacks one catalog attribute: a lenient step
// leaves it out, records the catalog in the cache directory and reads it
// back from there, partitions it and plans an image on it; a strict one
// fails, naming the attribute.
func TestStep(t *testing.T) {
	const system = "x86_64-linux"
	n := nixtest.New(t, system)
	attrs := catalog.Request(system, nil).Attrs
	lacking := attrs[len(attrs)-1].Path
	var present []string
	for _, a := range attrs[:len(attrs)-1] {
		present = append(present, a.Path)
	}
	n.Packages(present...)
	d := n.Driver()
	var progress strings.Builder
	step := catalog.Step{Cache: cachedir.Dir(t.TempDir()), Sets: catalog.Sets(sets.Builtin(), nil), Lenient: true, Progress: &progress}

	first, err := step.Read(t.Context(), d, nixflake.Files, system, nil, filepath.Join(t.TempDir(), "w"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Recorded || !slices.Equal(first.Plan.Missing, []string{lacking}) || len(first.Roots) != len(attrs)-1 || first.Graph.Len() != len(attrs) {
		t.Fatalf("the catalog: recorded %v, missing %v, %d roots, %d paths", first.Recorded, first.Plan.Missing, len(first.Roots), first.Graph.Len())
	}
	if want := fmt.Sprintf("nixlayer: reading the catalog (%d attributes) from the local store\n", len(attrs)); progress.String() != want {
		t.Errorf("progress %q, want %q", progress.String(), want)
	}
	if files, _ := filepath.Glob(filepath.Join(step.Cache.Catalogs(), "catalog-*.json")); len(files) != 1 {
		t.Errorf("records in the cache's catalogs: %v, want one", files)
	}
	n.Calls()
	again, err := step.Read(t.Context(), d, nixflake.Files, system, nil, filepath.Join(t.TempDir(), "w"))
	if err != nil || !again.Recorded {
		t.Fatalf("again: recorded %v, %v", again != nil && again.Recorded, err)
	}
	if calls := n.Calls(); !slices.Equal(calls, []string{"eval"}) {
		t.Errorf("reading a recorded catalog called nix %v, want the plan alone", calls)
	}
	if rec, ok, err := step.Recorded(first.Plan); err != nil || !ok || rec.Graph.Len() != first.Graph.Len() {
		t.Errorf("Recorded: %v, %v", ok, err)
	}
	if other := (catalog.Step{Source: catalog.Source{Dir: "/elsewhere"}, Cache: step.Cache}).Records(); other.Dir != "/elsewhere" {
		t.Errorf("a source's own directory of records gave way to the cache's: %s", other.Dir)
	}

	part, err := step.Partition(again.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	roots := map[string]string{"jq": again.Roots["jq"]}
	graph, err := again.Graph.Sub(roots["jq"])
	if err != nil {
		t.Fatal(err)
	}
	plan, err := step.Plan(layers.Image{Roots: roots, Graph: graph}, part)
	if err != nil || len(plan.Layers) == 0 || !slices.Equal(plan.CatalogAttrs, []string{"jq"}) {
		t.Errorf("the plan of an image of jq: %+v, %v", plan, err)
	}
	tight := step
	tight.Budget = layers.Budget{MaxLayers: 2}
	if _, err := tight.Partition(again.Catalog); err == nil || !strings.HasPrefix(err.Error(), "partitioning the catalog: ") {
		t.Errorf("a budget of 2 layers: %v", err)
	}

	strict := step
	strict.Lenient, strict.Progress = false, nil
	_, err = strict.Read(t.Context(), d, nixflake.Files, system, nil, filepath.Join(t.TempDir(), "w"))
	if _, ok := errors.AsType[*flake.AttrError](err); !ok || !strings.HasPrefix(err.Error(), "planning the catalog: ") || !strings.Contains(err.Error(), lacking) {
		t.Errorf("a strict step on a nixpkgs that lacks %s: %v", lacking, err)
	}
}
