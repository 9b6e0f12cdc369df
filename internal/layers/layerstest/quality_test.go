package layerstest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

func TestPopulation(t *testing.T) {
	sets := BuiltinSets()
	images := Population(sets, 530)
	if len(images) != 530 {
		t.Fatalf("%d images, want 530", len(images))
	}
	seen := map[string]bool{}
	alone := 0
	for _, cb := range images {
		if seen[cb.String()] {
			t.Errorf("%s twice", cb)
		}
		seen[cb.String()] = true
		if !slices.IsSorted(cb.Sets) || len(cb.Sets) == 0 || len(cb.Sets) > 6 {
			t.Errorf("%s: want 1 to 6 sorted sets", cb)
		}
		if !allowed(cb.Kind, cb.Sets, sets) {
			t.Errorf("%s: the kind refuses an attribute of the sets", cb)
		}
		if len(cb.Sets) == 1 {
			alone++
		}
	}
	// devTools (sudo) and nixTools (nix) make no runtime image.
	if alone < 2*17-2 {
		t.Errorf("%d images of one set, want every set alone in each kind that takes it", alone)
	}
	for _, cb := range Typical {
		if !seen[cb.String()] {
			t.Errorf("typical image %s is missing", cb)
		}
	}
	if diff := cmp.Diff(images, Population(sets, 530)); diff != "" {
		t.Errorf("Population is not deterministic:\n%s", diff)
	}
}

// TestMeasure measures a catalog of two attributes that a budget of one
// block glues together.
func TestMeasure(t *testing.T) {
	a, b := madePath("a"), madePath("b")
	graph, err := nix.NewClosure([]nix.PathInfo{madeInfo(a, 10), madeInfo(b, 30)})
	if err != nil {
		t.Fatal(err)
	}
	c := layers.Catalog{Roots: map[string]string{"a": a, "b": b}, Graph: graph}
	sets := map[string][]string{"A": {"a"}, "B": {"b"}}
	images := []Combination{{kind.Runtime, []string{"A"}}, {kind.Runtime, []string{"B"}}, {kind.Runtime, []string{"A", "B"}}}
	tests := []struct {
		name   string
		budget layers.Budget
		want   Quality
	}{{
		name:   "no merge",
		budget: layers.Budget{Reserved: 1},
		// Each pair pulls what it needs: 10 + 30 both ways.
		want: Quality{Images: 3, Closure: 80, Pairs: 2, Pulled: 80, Least: 80},
	}, {
		name:   "one block",
		budget: layers.Budget{MaxLayers: 3, Reserved: 1},
		// A alone carries b (30 bytes, 300 %), B alone a (10, 33 %); the
		// first image of a pair pulls the block, the second nothing.
		want: Quality{Images: 3, Closure: 80, Bloat: 40, Worst: 3, WorstImage: images[0], Over2Percent: 2, Pairs: 2, Pulled: 80, Least: 80},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := layers.Partition(c, tt.budget)
			if err != nil {
				t.Fatal(err)
			}
			q, err := Measure(c, p, sets, images, images[:2])
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, q); diff != "" {
				t.Errorf("quality (-want +got):\n%s", diff)
			}
		})
	}
}
