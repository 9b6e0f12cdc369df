package layerstest

import (
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// TestCheckPlan breaks a valid plan in one way at a time and checks that
// CheckPlan says so.
func TestCheckPlan(t *testing.T) {
	fx := Synthetic(1)
	b := layers.Budget{Reserved: 1}
	p, err := layers.Partition(fx.Catalog, b)
	if err != nil {
		t.Fatal(err)
	}
	// go alone leaves zlib's and oniguruma's blocks out, which app needs:
	// the plan has catalog, partial and extra layers.
	img, err := NewImage(fx.Catalog, fx.Sets["go"], fx.Extras...)
	if err != nil {
		t.Fatal(err)
	}
	valid, err := layers.Plan(img, p, b)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, l := range valid.Layers {
		kinds[l.Kind]++
	}
	if kinds[layers.KindCatalog] == 0 || kinds[layers.KindPartial] == 0 || kinds[layers.KindExtra] == 0 {
		t.Fatalf("the plan has %v layers, want some of every kind", kinds)
	}
	lastCatalog := kinds[layers.KindCatalog] - 1

	tests := []struct {
		name    string
		p       *layers.Partitioning
		corrupt func(plan *layers.ImagePlan)
		want    string // "" for no error
	}{
		{"valid", p, func(*layers.ImagePlan) {}, ""},
		{"a layer missing", p, func(plan *layers.ImagePlan) { plan.Layers = plan.Layers[1:] }, "is in the image but in no layer"},
		{"a path in two layers", p, func(plan *layers.ImagePlan) {
			last := &plan.Layers[len(plan.Layers)-1]
			last.Paths = append(slices.Clone(last.Paths), plan.Layers[0].Paths[0])
		}, "is in layers 0 and"},
		{"a catalog layer that is not a block", p, func(plan *layers.ImagePlan) {
			plan.Layers[0].Attrs = plan.Layers[0].Attrs[1:]
		}, "is not block"},
		{"an ID that does not match the paths", p, func(plan *layers.ImagePlan) { plan.Layers[1].ID = plan.Layers[0].ID }, "want sha256:"},
		{"a wrong size", p, func(plan *layers.ImagePlan) { plan.Layers[2].Size++ }, "layer 2: size"},
		{"a wrong bloat", p, func(plan *layers.ImagePlan) { plan.Bloat = 1 }, "plan bloat 1, want the layers' total 0"},
		{"kinds out of order", p, func(plan *layers.ImagePlan) {
			plan.Layers[0], plan.Layers[len(plan.Layers)-1] = plan.Layers[len(plan.Layers)-1], plan.Layers[0]
		}, "comes after a extra layer"},
		{"an unknown kind", p, func(plan *layers.ImagePlan) { plan.Layers[len(plan.Layers)-1].Kind = "other" }, `has kind "other"`},
		{"unsorted paths", p, func(plan *layers.ImagePlan) {
			for i, l := range plan.Layers {
				if len(l.Paths) > 1 {
					plan.Layers[i].Paths = slices.Clone(l.Paths)
					slices.Reverse(plan.Layers[i].Paths)
					return
				}
			}
		}, "paths are not sorted"},
		{"a catalog attribute's path outside the catalog layers", p, func(plan *layers.ImagePlan) {
			plan.Layers[lastCatalog].Kind = layers.KindPartial
		}, "which is in the image, but in partial layer"},
		{"too many layers", &layers.Partitioning{Blocks: p.Blocks, Budget: layers.Budget{MaxLayers: 4, Reserved: 1}}, func(*layers.ImagePlan) {}, "store layers, more than the 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := *valid
			plan.Layers = slices.Clone(valid.Layers)
			tt.corrupt(&plan)
			err := CheckPlan(fx.Catalog, tt.p, img, &plan)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckPlan: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("CheckPlan = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestCheckEveryCombination runs the check on three of the synthetic sets.
func TestCheckEveryCombination(t *testing.T) {
	fx := Synthetic(1)
	sets := map[string][]string{"go": fx.Sets["go"], "goDev": fx.Sets["goDev"], "base": fx.Sets["base"]}
	st := CheckEveryCombination(t, fx.Catalog, sets, layers.Budget{Reserved: 1}, fx.Extras...)
	if st.Images != 8 || st.Blocks == 0 || st.MaxLayers == 0 || st.MaxExtra == 0 {
		t.Errorf("stats %+v, want 8 images with layers", st)
	}
	if len(st.MaxLayersSets) == 0 {
		t.Error("the most layers are for the empty image")
	}
}

// TestCheckCombinations checks that CheckCombinations checks every
// combination when there are few, and otherwise exactly n, among them
// every one of at most two sets and every one that leaves out at most two.
func TestCheckCombinations(t *testing.T) {
	fx := Synthetic(1)
	few := map[string][]string{"go": fx.Sets["go"], "goDev": fx.Sets["goDev"], "base": fx.Sets["base"]}
	if st := CheckCombinations(t, fx.Catalog, few, layers.Budget{Reserved: 1}, 100, fx.Extras...); st.Images != 8 {
		t.Errorf("%d images of 3 sets, want all 8", st.Images)
	}
	const n = 600
	st := CheckCombinations(t, fx.Catalog, fx.Sets, layers.Budget{Reserved: 1}, n, fx.Extras...)
	if st.Images != n || st.MaxExtra == 0 {
		t.Errorf("stats %+v, want %d images with extra layers", st, n)
	}

	k := len(fx.Sets)
	masks := sampleMasks(k, n)
	if len(masks) != n || !slices.IsSorted(masks) || len(slices.Compact(slices.Clone(masks))) != n {
		t.Fatalf("%d masks, want %d distinct sorted ones", len(masks), n)
	}
	all := uint64(1)<<k - 1
	for i := range k {
		for j := range k {
			m := uint64(1)<<i | uint64(1)<<j
			for _, want := range []uint64{m, all &^ m} {
				if _, ok := slices.BinarySearch(masks, want); !ok {
					t.Fatalf("mask %b is missing", want)
				}
			}
		}
	}
	if !slices.Equal(masks, sampleMasks(k, n)) {
		t.Error("sampleMasks is not deterministic")
	}
}

// TestExtrasFor checks the extras made for the synthetic catalog on the
// combinations of a few sets.
func TestExtrasFor(t *testing.T) {
	fx := Synthetic(1)
	extras := ExtrasFor(fx.Catalog)
	if _, err := NewImage(fx.Catalog, nil, extras...); err != nil {
		t.Fatal(err)
	}
	sets := map[string][]string{"go": fx.Sets["go"], "node": fx.Sets["node"], "devTools": fx.Sets["devTools"]}
	st := CheckEveryCombination(t, fx.Catalog, sets, layers.Budget{Reserved: 1}, extras...)
	if st.MaxPartial == 0 || st.MaxExtra < 3 {
		t.Errorf("at most %d partial and %d extra layers, want partial layers and 3 extra ones", st.MaxPartial, st.MaxExtra)
	}
}
