package layers_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// BenchmarkPlan plans 64 random images of the synthetic catalog, with the
// extra roots, in turn.
func BenchmarkPlan(b *testing.B) {
	for _, bc := range budgets {
		b.Run(bc.name, func(b *testing.B) {
			pl := newPlanner(b, bc.budget)
			rng := rand.New(rand.NewPCG(6, 7))
			var imgs []layers.Image
			for range 64 {
				img, _ := pl.plan(b, randomSets(rng, pl.fx.Sets), true)
				imgs = append(imgs, img)
			}
			i := 0
			for b.Loop() {
				if _, err := layers.Plan(imgs[i%len(imgs)], pl.part, pl.budget); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkPartition partitions the synthetic catalog.
func BenchmarkPartition(b *testing.B) {
	for _, bc := range budgets {
		b.Run(bc.name, func(b *testing.B) {
			fx := newPlanner(b, bc.budget).fx
			for b.Loop() {
				if _, err := layers.Partition(fx.Catalog, bc.budget); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// qualityCatalogs are the catalogs BenchmarkQuality measures.
var qualityCatalogs = []qualityCatalog{
	{"synthetic", func() layerstest.Fixture { return layerstest.Synthetic(1) }},
	{"debian", layerstest.Debian},
}

type qualityCatalog struct {
	name string
	fx   func() layerstest.Fixture
}

// catalogFile is a recorded catalog for BenchmarkQuality to measure as
// well, such as the test universe's that a build records in its cache
// directory (catalog/catalog-*.json).
var catalogFile = flag.String("catalog", "", "a recorded catalog that BenchmarkQuality measures too")

// qualityBudgets are the layer budgets BenchmarkQuality measures: the
// default, and two that a project with more sets, or a base image, comes
// down to.
var qualityBudgets = []int{100, 50, 25}

// qualityRules are the merge rules BenchmarkQuality compares: the
// planner's, by the sets that builds pass (the built-in sets and the
// kinds' required attributes), and as a peer the rule by attributes alone
// that it replaced.
var qualityRules = []struct {
	name      string
	partition func(layers.Catalog, layers.Budget) (*layers.Partitioning, error)
}{
	{"sets", func(c layers.Catalog, b layers.Budget) (*layers.Partitioning, error) {
		return layers.Partition(c, b, catalog.Sets(sets.Builtin(), nil)...)
	}},
	{"attrs", layers.PartitionByAttrs},
}

// BenchmarkQuality partitions each catalog at each budget, by each rule,
// and reports what the partitioning costs 530 images of the built-in sets
// (layerstest.Population) and the 132 ordered pairs of the 12 typical
// images (layerstest.Typical): the bloat over all images and of the worst
// image, in percent of their closures, the images with more than 2 %, and
// the bytes the pairs pulled over the least they need. The planner's rule
// also reports its bloat and worst image over the peer's, measured in the
// same run ("vs-attrs"; 0 when both are 0).
//
// With -catalog FILE, it measures that catalog too, with the built-in
// sets.
func BenchmarkQuality(b *testing.B) {
	catalogs := qualityCatalogs
	if *catalogFile != "" {
		data, err := os.ReadFile(*catalogFile)
		if err != nil {
			b.Fatal(err)
		}
		var c layers.Catalog
		if err := json.Unmarshal(data, &c); err != nil {
			b.Fatal(err)
		}
		catalogs = append(catalogs, qualityCatalog{"recorded", func() layerstest.Fixture {
			return layerstest.Fixture{Catalog: c, Sets: layerstest.BuiltinSets()}
		}})
	}
	for _, cat := range catalogs {
		fx := cat.fx()
		images := layerstest.Population(fx.Sets, 530)
		for _, n := range qualityBudgets {
			budget := layers.Budget{MaxLayers: n, Reserved: 1}
			peer, err := layers.PartitionByAttrs(fx.Catalog, budget)
			if err != nil {
				b.Fatal(err)
			}
			peerQ, err := layerstest.Measure(fx.Catalog, peer, fx.Sets, images, layerstest.Typical)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range qualityRules {
				b.Run(fmt.Sprintf("%s/budget=%d/rule=%s", cat.name, n, r.name), func(b *testing.B) {
					var part *layers.Partitioning
					for b.Loop() {
						var err error
						if part, err = r.partition(fx.Catalog, budget); err != nil {
							b.Fatal(err)
						}
					}
					q, err := layerstest.Measure(fx.Catalog, part, fx.Sets, images, layerstest.Typical)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(part.Merges)), "merges")
					b.ReportMetric(100*q.BloatRatio(), "bloat%")
					b.ReportMetric(100*q.Worst, "worst%")
					b.ReportMetric(float64(q.Over2Percent), "images>2%")
					b.ReportMetric(q.PullRatio(), "pulled/least")
					if r.name != "attrs" {
						b.ReportMetric(ratio(q.BloatRatio(), peerQ.BloatRatio()), "bloat-vs-attrs")
						b.ReportMetric(ratio(q.Worst, peerQ.Worst), "worst-vs-attrs")
					}
					b.Logf("%d groups, %d set signatures; %d images, worst %s; %d pairs", part.Groups, part.SetSignatures, q.Images, q.WorstImage, q.Pairs)
				})
			}
		}
	}
}

// ratio returns a over b, or 0 when both are 0.
func ratio(a, b float64) float64 {
	if a == 0 && b == 0 {
		return 0
	}
	return a / b
}
