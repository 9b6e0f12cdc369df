package layers_test

import (
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
)

// TestBudgetOn checks the budget of an image on a base image: the base's
// layers count against layers.MaxImageLayers, so the budget shrinks only
// when the base leaves less room than it asks for, and a base that leaves
// fewer than layers.MinLayers cannot be planned for.
func TestBudgetOn(t *testing.T) {
	for _, tc := range []struct {
		budget layers.Budget
		base   int
		want   int
	}{
		{layers.Budget{}, 0, layers.DefaultMaxLayers},
		{layers.Budget{}, 27, layers.DefaultMaxLayers},
		{layers.Budget{}, 28, 99},
		{layers.Budget{}, 118, 9},
		{layers.Budget{}, 124, layers.MinLayers},
		{layers.Budget{MaxLayers: 50, Reserved: 2}, 70, 50},
		{layers.Budget{MaxLayers: 50, Reserved: 2}, 100, 27},
	} {
		got := tc.budget.On(tc.base)
		if got.MaxLayers != tc.want || got.Reserved != tc.budget.Reserved || got.LargePath != tc.budget.LargePath {
			t.Errorf("%+v on a base of %d layers: %+v, want MaxLayers %d and the rest kept", tc.budget, tc.base, got, tc.want)
		}
	}

	fx := layerstest.Synthetic(1)
	for base, ok := range map[int]bool{layers.MaxImageLayers - layers.MinLayers: true, layers.MaxImageLayers - layers.MinLayers + 1: false} {
		_, err := layers.Partition(fx.Catalog, layers.Budget{}.On(base))
		if (err == nil) != ok {
			t.Errorf("partitioning for a base of %d layers: %v, want success %v", base, err, ok)
		}
	}
}
