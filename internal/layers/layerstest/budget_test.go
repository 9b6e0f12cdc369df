package layerstest

import (
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// TestCheckSetBloat checks the checks of a partitioning on the synthetic
// catalog: the default budget merges two groups that the same sets bring
// in, and keeps the large paths alone; 8 layers glue many groups, large
// ones among them.
func TestCheckSetBloat(t *testing.T) {
	fx := Synthetic(1)
	sets := BuildSets()
	roomy, err := layers.Partition(fx.Catalog, layers.Budget{Reserved: 1}, sets...)
	if err != nil {
		t.Fatal(err)
	}
	if len(roomy.Merges) == 0 {
		t.Fatal("no merge at the default budget: the check of set bloat checks nothing")
	}
	if err := CheckSetBloat(fx.Catalog, roomy, sets); err != nil {
		t.Error(err)
	}
	if err := CheckLargeAlone(fx.Catalog, roomy); err != nil {
		t.Error(err)
	}
	tight, err := layers.Partition(fx.Catalog, layers.Budget{MaxLayers: 8, Reserved: 1}, sets...)
	if err != nil {
		t.Fatal(err)
	}
	if CheckSetBloat(fx.Catalog, tight, sets) == nil {
		t.Error("CheckSetBloat finds no block of paths that different sets bring in, at 8 layers")
	}
	if CheckLargeAlone(fx.Catalog, tight) == nil {
		t.Error("CheckLargeAlone finds no large path with others, at 8 layers")
	}
}
