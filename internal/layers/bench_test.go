package layers_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
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
var qualityCatalogs = []struct {
	name string
	fx   func() layerstest.Fixture
}{
	{"synthetic", func() layerstest.Fixture { return layerstest.Synthetic(1) }},
	{"debian", layerstest.Debian},
}

// catalogFile is a recorded catalog for BenchmarkQuality to measure as
// well, such as the test universe's that a build records in its cache
// directory (catalog/catalog-*.json).
var catalogFile = flag.String("catalog", "", "a recorded catalog that BenchmarkQuality measures too")

// qualityBudgets are the layer budgets BenchmarkQuality measures: the
// default, and two that a project with more sets, or a base image, comes
// down to.
var qualityBudgets = []int{100, 50, 25}

// BenchmarkQuality partitions each catalog at each budget and reports
// what the partitioning costs 530 images of the built-in sets
// (layerstest.Population) and the 132 ordered pairs of the 12 typical
// images (layerstest.Typical): the bloat over all images and of the worst
// image, in percent of their closures, the images with more than 2 %, and
// the bytes the pairs pulled over the least they need.
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
		catalogs = append(catalogs, struct {
			name string
			fx   func() layerstest.Fixture
		}{"recorded", func() layerstest.Fixture { return layerstest.Fixture{Catalog: c, Sets: layerstest.BuiltinSets()} }})
	}
	for _, cat := range catalogs {
		fx := cat.fx()
		images := layerstest.Population(fx.Sets, 530)
		for _, n := range qualityBudgets {
			b.Run(fmt.Sprintf("%s/budget=%d", cat.name, n), func(b *testing.B) {
				budget := layers.Budget{MaxLayers: n, Reserved: 1}
				var part *layers.Partitioning
				for b.Loop() {
					var err error
					if part, err = layers.Partition(fx.Catalog, budget); err != nil {
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
				b.Logf("%d groups; %d images, worst %s; %d pairs", part.Groups, q.Images, q.WorstImage, q.Pairs)
			})
		}
	}
}
