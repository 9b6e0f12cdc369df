package layers_test

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
)

// budgets are the budgets the property tests run with: the default, which
// needs no merge on the synthetic catalog, and one that forces many.
var budgets = []struct {
	name   string
	budget layers.Budget
}{
	{"default", layers.Budget{Reserved: 1}},
	{"8 layers", layers.Budget{MaxLayers: 8, Reserved: 1}},
}

// planner plans images of the synthetic catalog.
type planner struct {
	fx     layerstest.Fixture
	part   *layers.Partitioning
	budget layers.Budget
}

func newPlanner(t testing.TB, b layers.Budget) *planner {
	t.Helper()
	fx := layerstest.Synthetic(1)
	part, err := layers.Partition(fx.Catalog, b)
	if err != nil {
		t.Fatal(err)
	}
	return &planner{fx: fx, part: part, budget: b}
}

// plan returns the image of the named sets, with the fixture's extras if
// extras is set, and its plan.
func (pl *planner) plan(t testing.TB, sets []string, extras bool) (layers.Image, *layers.ImagePlan) {
	t.Helper()
	var attrs []string
	for _, s := range sets {
		attrs = append(attrs, pl.fx.Sets[s]...)
	}
	slices.Sort(attrs)
	var ex []layerstest.Extra
	if extras {
		ex = pl.fx.Extras
	}
	img, err := layerstest.NewImage(pl.fx.Catalog, slices.Compact(attrs), ex...)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := layers.Plan(img, pl.part, pl.budget)
	if err != nil {
		t.Fatalf("sets %v: %v", sets, err)
	}
	return img, plan
}

// randomSets returns a random combination of the sets.
func randomSets(rng *rand.Rand, sets map[string][]string) []string {
	var out []string
	for _, s := range slices.Sorted(maps.Keys(sets)) {
		if rng.IntN(2) == 0 {
			out = append(out, s)
		}
	}
	return out
}

// layerByPath maps each path of a plan to its layer.
func layerByPath(plan *layers.ImagePlan) map[string]layers.Layer {
	m := make(map[string]layers.Layer)
	for _, l := range plan.Layers {
		for _, p := range l.Paths {
			m[p] = l
		}
	}
	return m
}

// TestImageIndependence checks, for random pairs of set combinations, that
// every store path in both images lies in layers with the same paths and
// block in both. With extra roots, the catalog paths that extras bring in
// may be in a partial layer in one image and a catalog layer in the other;
// then only paths in catalog layers in both images must match.
func TestImageIndependence(t *testing.T) {
	for _, bc := range budgets {
		for _, extras := range []bool{false, true} {
			t.Run(bc.name+map[bool]string{false: "", true: " with extras"}[extras], func(t *testing.T) {
				pl := newPlanner(t, bc.budget)
				rng := rand.New(rand.NewPCG(2, 3))
				compared := 0
				for range 300 {
					setsA, setsB := randomSets(rng, pl.fx.Sets), randomSets(rng, pl.fx.Sets)
					imgA, planA := pl.plan(t, setsA, extras)
					imgB, planB := pl.plan(t, setsB, extras)
					inB := layerByPath(planB)
					for _, la := range planA.Layers {
						for _, p := range la.Paths {
							_, inImgA := imgA.Graph.Lookup(p)
							_, inImgB := imgB.Graph.Lookup(p)
							if !inImgA || !inImgB {
								continue // not in both images
							}
							lb, ok := inB[p]
							if !ok {
								t.Fatalf("%s is in the image of sets %v but in none of its layers", p, setsB)
							}
							if extras && (la.Kind != layers.KindCatalog || lb.Kind != layers.KindCatalog) {
								continue
							}
							compared++
							if la.ID != lb.ID || la.Block != lb.Block || !slices.Equal(la.Paths, lb.Paths) {
								t.Fatalf("%s is in layer %s (%s, %d paths) for sets %v but in layer %s (%s, %d paths) for sets %v",
									p, la.ID, la.Kind, len(la.Paths), setsA, lb.ID, lb.Kind, len(lb.Paths), setsB)
							}
						}
					}
				}
				if compared == 0 {
					t.Fatal("no path was in both images of any pair")
				}
			})
		}
	}
}

// TestRuntimeInDevcontainer checks that every catalog layer of a runtime
// image is a layer of the devcontainer image for the same languages, so
// that pulling one after the other downloads only the difference.
func TestRuntimeInDevcontainer(t *testing.T) {
	languages := []string{"python", "node", "go", "rust"}
	for _, bc := range budgets {
		t.Run(bc.name, func(t *testing.T) {
			pl := newPlanner(t, bc.budget)
			for mask := range 1 << len(languages) {
				runtime := []string{"base"}
				dev := []string{"base", "vscodeCompat", "devTools", "nixTools", "bash"}
				for i, lang := range languages {
					if mask&(1<<i) != 0 {
						runtime = append(runtime, lang)
						dev = append(dev, lang, lang+"Dev")
					}
				}
				_, small := pl.plan(t, runtime, false)
				_, big := pl.plan(t, dev, false)
				bigLayers := make(map[string][]string)
				for _, l := range big.Layers {
					bigLayers[l.ID] = l.Paths
				}
				for _, l := range small.Layers {
					if l.Kind != layers.KindCatalog {
						t.Errorf("runtime %v: %s layer %s, want catalog layers only", runtime, l.Kind, l.ID)
					}
					if paths, ok := bigLayers[l.ID]; !ok || !slices.Equal(paths, l.Paths) {
						t.Errorf("runtime %v: layer %s (%s...) is not in the devcontainer image %v",
							runtime, l.ID, strings.Join(l.Paths[:min(2, len(l.Paths))], " "), dev)
					}
				}
			}
		})
	}
}

// TestBloatWithoutMerges checks that an image has no bloat when the
// partitioning merged no groups, extra roots or not, and that every merge
// of two signatures gives bloat to the image of an attribute of one side's
// signature only: the merged block's other paths are outside that
// attribute's closure. (A merge of one signature's blocks, such as a path
// of its own with the rest of its group, costs no bloat.)
func TestBloatWithoutMerges(t *testing.T) {
	for _, bc := range budgets {
		t.Run(bc.name, func(t *testing.T) {
			pl := newPlanner(t, bc.budget)
			rng := rand.New(rand.NewPCG(4, 5))
			var most int64
			for i := range 200 {
				sets := randomSets(rng, pl.fx.Sets)
				_, plan := pl.plan(t, sets, i%2 == 0)
				var sum int64
				for _, l := range plan.Layers {
					sum += l.Bloat
				}
				if sum != plan.Bloat {
					t.Errorf("sets %v: layers have %d bytes of bloat, the plan says %d", sets, sum, plan.Bloat)
				}
				if len(pl.part.Merges) == 0 && plan.Bloat != 0 {
					t.Errorf("sets %v: %d bytes of bloat without merges", sets, plan.Bloat)
				}
				most = max(most, plan.Bloat)
			}
			if len(pl.part.Merges) == 0 && most != 0 {
				t.Errorf("no merges but %d bytes of bloat", most)
			}
			for _, m := range pl.part.Merges {
				a, b := m.FromAttrs[0], m.FromAttrs[1]
				for _, attr := range slices.Concat(without(a, b), without(b, a)) {
					img, err := layerstest.NewImage(pl.fx.Catalog, []string{attr})
					if err != nil {
						t.Fatal(err)
					}
					plan, err := layers.Plan(img, pl.part, pl.budget)
					if err != nil {
						t.Fatalf("attribute %s: %v", attr, err)
					}
					if plan.Bloat == 0 {
						t.Errorf("merge into %s of %v and %v: the image of %s alone has no bloat", m.Into, a, b, attr)
					}
				}
			}
		})
	}
}

// TestBudgetCountsTheCustomisationLayer checks that an image's store
// layers and its customisation layer together stay within MaxLayers,
// whatever Reserved says, at the zero budget (the defaults) and at the
// tightest one, for images of every set of the synthetic catalog with its
// extras.
func TestBudgetCountsTheCustomisationLayer(t *testing.T) {
	for _, b := range []layers.Budget{{}, {Reserved: 0, MaxLayers: layers.DefaultMaxLayers}, {MaxLayers: 3}} {
		pl := newPlanner(t, b)
		limit := b.MaxLayers
		if limit == 0 {
			limit = layers.DefaultMaxLayers
		}
		var all []string
		for s := range pl.fx.Sets {
			all = append(all, s)
		}
		_, plan := pl.plan(t, all, true)
		if got := len(plan.Layers) + 1; got > limit {
			t.Errorf("budget %+v: %d store layers and the customisation layer, %d in all, over %d", b, len(plan.Layers), got, limit)
		}
		if b.MaxLayers == 0 && len(plan.Layers) < 2 {
			t.Errorf("budget %+v: only %d store layers", b, len(plan.Layers))
		}
	}
}

// without returns the elements of a that are not in b.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
