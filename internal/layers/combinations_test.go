package layers_test

import (
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
)

// TestCombinations plans the images of combinations of the 17
// built-in sets, each with the fixture's extra roots, on the synthetic
// catalog, and checks every plan with layerstest.CheckPlan: 16384 of the
// 131072 (layerstest.CheckCombinations) at each budget. cmd/nixlayer's
// TestBuild plans all of them on the universe's catalog.
func TestCombinations(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping 32768 plans in short mode")
	}
	fx := layerstest.Synthetic(1)
	tests := []struct {
		name   string
		budget layers.Budget
		check  func(t *testing.T, st layerstest.Stats)
	}{{
		name:   "default budget",
		budget: layers.Budget{Reserved: 1},
		check: func(t *testing.T, st layerstest.Stats) {
			if st.MaxLayers+1 > layers.DefaultMaxLayers {
				t.Errorf("an image of sets %v has %d store layers, more than %d", st.MaxLayersSets, st.MaxLayers, layers.DefaultMaxLayers-1)
			}
			// The budget leaves room for this many blocks (one store layer
			// is kept for what is outside the catalog); the synthetic
			// catalog of the 17 sets has a few groups more, and merging
			// them must cost no image anything.
			blocks := min(st.Groups, layers.DefaultMaxLayers-2)
			if st.Blocks != blocks || st.Merges != st.Groups-blocks {
				t.Errorf("%d groups became %d blocks with %d merges; want %d blocks, merged only as the budget forces", st.Groups, st.Blocks, st.Merges, blocks)
			}
			if st.MaxBloat != 0 {
				t.Errorf("an image of sets %v has %d bytes of bloat at the default budget", st.MaxBloatSets, st.MaxBloat)
			}
			if st.MaxPartial == 0 || st.MaxExtra == 0 {
				t.Errorf("no image has partial (%d) or extra (%d) layers: the extras do not exercise them", st.MaxPartial, st.MaxExtra)
			}
		},
	}, {
		name:   "8 layers",
		budget: layers.Budget{MaxLayers: 8, Reserved: 1},
		check: func(t *testing.T, st layerstest.Stats) {
			if st.MaxLayers > 7 {
				t.Errorf("an image of sets %v has %d store layers, more than 7", st.MaxLayersSets, st.MaxLayers)
			}
			if st.Blocks > 6 || st.Merges != st.Groups-st.Blocks {
				t.Errorf("%d groups became %d blocks with %d merges; want at most 6 blocks", st.Groups, st.Blocks, st.Merges)
			}
			if st.MaxBloat == 0 {
				t.Error("no image has bloat, although the partitioning merged groups")
			}
			if st.MergedImages == 0 {
				t.Error("no image needed its partial and extra layers merged")
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const want = 1 << 14
			st := layerstest.CheckCombinations(t, fx.Catalog, fx.Sets, tt.budget, want, fx.Extras...)
			if st.Images != want {
				t.Errorf("%d images checked, want %d", st.Images, want)
			}
			tt.check(t, st)
			t.Logf("%d groups, %d blocks; most layers %d (%v); most bloat %d MiB (%v); mean bloat %d MiB; %d images with merges; at most %d partial and %d extra layers",
				st.Groups, st.Blocks, st.MaxLayers, st.MaxLayersSets, st.MaxBloat>>20, st.MaxBloatSets,
				st.TotalBloat/int64(max(st.Images, 1))>>20, st.MergedImages, st.MaxPartial, st.MaxExtra)
		})
	}
}
