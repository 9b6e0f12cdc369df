package layers_test

import (
	"math/rand/v2"
	"testing"

	"github.com/nixlayer/nixlayer/internal/layers"
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
