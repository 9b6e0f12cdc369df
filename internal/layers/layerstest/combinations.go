package layerstest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// Stats summarises the plans checked by [CheckEveryCombination] or
// [CheckCombinations].
type Stats struct {
	Images int // images planned
	Groups int // signature groups of the partitioning
	Blocks int // blocks of the partitioning
	Merges int // merges of the partitioning
	// MaxLayers is the most store layers of an image, and MaxLayersSets
	// the sets of the first such image.
	MaxLayers     int
	MaxLayersSets []string
	// MaxBloat is the most bloat of an image, in bytes, and MaxBloatSets
	// the sets of the first such image.
	MaxBloat     int64
	MaxBloatSets []string
	// TotalBloat is the bloat of all the images together.
	TotalBloat int64
	// MergedImages is the number of images whose partial and extra layers
	// had to be merged.
	MergedImages int
	// MaxPartial and MaxExtra are the most partial and extra layers of an
	// image.
	MaxPartial, MaxExtra int
}

// maxSets bounds the number of sets CheckEveryCombination accepts: 2^17
// images take a minute of two cores already (see CheckCombinations).
const maxSets = 17

// maxFailures is the number of failing images after which
// CheckEveryCombination stops reporting.
const maxFailures = 10

// CheckEveryCombination partitions c with budget b and the sets, plans an
// image for every combination of the sets (2^len(sets) images, at most
// 2^17), each with the extra roots added, and checks every plan with
// [CheckPlan]. One
// plan in 64 is made twice, to check that Plan is deterministic. It
// reports problems with t.Errorf, the first 10 failing images only, and
// returns statistics about the plans.
func CheckEveryCombination(t testing.TB, c layers.Catalog, sets map[string][]string, b layers.Budget, extras ...Extra) Stats {
	t.Helper()
	names := slices.Sorted(maps.Keys(sets))
	if len(names) > maxSets {
		t.Fatalf("%d sets: CheckEveryCombination takes at most %d", len(names), maxSets)
	}
	return checkMasks(t, c, names, sets, b, sampleMasks(len(names), 1<<len(names)), extras)
}

// CheckCombinations is [CheckEveryCombination] for at most n images: when
// the sets have more combinations, it checks those of at most two sets,
// those that leave out at most two, and random others (from a fixed seed)
// up to n, so that a catalog of many sets is checked in seconds.
func CheckCombinations(t testing.TB, c layers.Catalog, sets map[string][]string, b layers.Budget, n int, extras ...Extra) Stats {
	t.Helper()
	names := slices.Sorted(maps.Keys(sets))
	if len(names) > 63 {
		t.Fatalf("%d sets: CheckCombinations takes at most 63", len(names))
	}
	return checkMasks(t, c, names, sets, b, sampleMasks(len(names), n), extras)
}

// sampleMasks returns n combinations of k sets as sorted bit masks, or
// all 2^k when there are no more than n.
func sampleMasks(k, n int) []uint64 {
	all := uint64(1)<<k - 1
	if k < 63 && 1<<k <= n {
		masks := make([]uint64, 1<<k)
		for i := range masks {
			masks[i] = uint64(i)
		}
		return masks
	}
	chosen := map[uint64]bool{}
	for i := range k {
		for j := i; j < k; j++ {
			m := uint64(1)<<i | uint64(1)<<j
			chosen[m], chosen[all&^m] = true, true
		}
	}
	chosen[0], chosen[all] = true, true
	rng := rand.New(rand.NewPCG(1, 2))
	for len(chosen) < n {
		chosen[rng.Uint64()&all] = true
	}
	return slices.Sorted(maps.Keys(chosen))
}

// checkMasks checks the image of each combination of masks (bit i for
// names[i]), as CheckEveryCombination describes.
func checkMasks(t testing.TB, c layers.Catalog, names []string, sets map[string][]string, b layers.Budget, masks []uint64, extras []Extra) Stats {
	t.Helper()
	p, err := layers.Partition(c, b, Sets(sets)...)
	if err != nil {
		t.Fatal(err)
	}
	ch := newChecker(c, p)
	build := newImageBuilder(c, extras)

	// Each worker checks every workers-th combination into its own slots
	// of results, which then add up in order, so that the outcome does
	// not depend on timing.
	results := make([]result, len(masks))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			failed := 0
			for i := w; i < len(masks) && failed < maxFailures; i += workers {
				chosen, attrs := combination(names, sets, masks[i])
				r := &results[i]
				r.sets = chosen
				r.plan, r.err = checkOne(build, ch, p, b, attrs, masks[i]%64 == 0)
				if r.err != nil {
					failed++
				}
			}
		})
	}
	wg.Wait()

	st := Stats{Groups: p.Groups, Blocks: len(p.Blocks), Merges: len(p.Merges)}
	failed := 0
	for _, r := range results {
		switch {
		case r.err != nil && failed < maxFailures:
			t.Errorf("sets %s: %v", strings.Join(r.sets, ","), r.err)
			failed++
		case r.err != nil:
			failed++
		case r.plan != nil:
			st.add(r.plan, r.sets)
		}
	}
	if failed > maxFailures {
		t.Errorf("and %d more failing images", failed-maxFailures)
	}
	return st
}

// result is the outcome of checking the image of one combination of sets.
type result struct {
	sets []string
	plan *planSummary
	err  error
}

// planSummary is what Stats needs of a plan.
type planSummary struct {
	layers, partial, extra int
	bloat                  int64
	merged                 bool
}

// checkOne plans and checks the image of attrs, twice if again is set.
func checkOne(build *imageBuilder, ch *checker, p *layers.Partitioning, b layers.Budget, attrs []string, again bool) (*planSummary, error) {
	img, err := build.image(attrs)
	if err != nil {
		return nil, err
	}
	plan, err := layers.Plan(img, p, b)
	if err != nil {
		return nil, err
	}
	if err := ch.check(img, plan); err != nil {
		return nil, err
	}
	if again {
		second, err := layers.Plan(img, p, b)
		if err != nil {
			return nil, fmt.Errorf("planning again: %w", err)
		}
		if diff := cmp.Diff(plan, second); diff != "" {
			return nil, fmt.Errorf("plan is not deterministic (-first +second):\n%s", diff)
		}
	}
	sum := &planSummary{layers: len(plan.Layers), bloat: plan.Bloat, merged: len(plan.Merges) > 0}
	for _, l := range plan.Layers {
		switch l.Kind {
		case layers.KindPartial:
			sum.partial++
		case layers.KindExtra:
			sum.extra++
		}
	}
	return sum, nil
}

// combination returns the names of the sets in mask (bit i for names[i])
// and their attributes, sorted without duplicates.
func combination(names []string, sets map[string][]string, mask uint64) (chosen, attrs []string) {
	for i, n := range names {
		if mask&(1<<i) != 0 {
			chosen = append(chosen, n)
			attrs = append(attrs, sets[n]...)
		}
	}
	slices.Sort(attrs)
	return chosen, slices.Compact(attrs)
}

// add counts the plan of the image of the given sets in st. Images come
// in combination order, so the first image with a maximum is kept.
func (st *Stats) add(plan *planSummary, sets []string) {
	st.Images++
	if plan.layers > st.MaxLayers || st.Images == 1 {
		st.MaxLayers, st.MaxLayersSets = plan.layers, sets
	}
	if plan.bloat > st.MaxBloat || st.Images == 1 {
		st.MaxBloat, st.MaxBloatSets = plan.bloat, sets
	}
	st.TotalBloat += plan.bloat
	if plan.merged {
		st.MergedImages++
	}
	st.MaxPartial = max(st.MaxPartial, plan.partial)
	st.MaxExtra = max(st.MaxExtra, plan.extra)
}
