package layerstest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
)

// Combination is an image of some sets, of one kind: its catalog
// attributes are the sets' and those the kind requires.
type Combination struct {
	Kind kind.Kind
	Sets []string // sorted
}

// String returns the kind and the sets, such as "runtime base,python".
func (cb Combination) String() string {
	return string(cb.Kind) + " " + strings.Join(cb.Sets, ",")
}

// attrs returns the image's catalog attributes, sorted without duplicates.
func (cb Combination) attrs(sets map[string][]string) []string {
	attrs := slices.Clone(cb.Kind.Required())
	for _, s := range cb.Sets {
		attrs = append(attrs, sets[s]...)
	}
	slices.Sort(attrs)
	return slices.Compact(attrs)
}

// allowed reports whether the kind takes every attribute of the sets.
func allowed(k kind.Kind, names []string, sets map[string][]string) bool {
	for _, n := range names {
		for _, a := range sets[n] {
			if slices.Contains(k.Forbidden(), a) {
				return false
			}
		}
	}
	return true
}

// Typical are twelve images a team builds side by side, the README's
// among them: runtime images of one language each, and devcontainers of
// the default sets with a language and its tools.
var Typical = []Combination{
	{kind.Runtime, []string{"base"}},
	{kind.Runtime, []string{"base", "python"}},
	{kind.Runtime, []string{"base", "node"}},
	{kind.Runtime, []string{"base", "go"}},
	{kind.Runtime, []string{"base", "java"}},
	{kind.Runtime, []string{"base", "cobol"}},
	{kind.Devcontainer, []string{"base", "devTools", "nixTools", "vscodeCompat"}},
	{kind.Devcontainer, []string{"base", "devTools", "nixTools", "python", "pythonDev", "vscodeCompat"}},
	{kind.Devcontainer, []string{"base", "devTools", "nixTools", "node", "nodeDev", "vscodeCompat"}},
	{kind.Devcontainer, []string{"base", "devTools", "go", "goDev", "nixTools", "vscodeCompat"}},
	{kind.Devcontainer, []string{"base", "devTools", "nixTools", "rust", "rustDev", "vscodeCompat"}},
	{kind.Devcontainer, []string{"base", "devTools", "java", "javaDev", "nixTools", "vscodeCompat"}},
}

// Population returns n distinct images of the sets (fewer if the sets
// have fewer combinations), the same for the same sets: each set alone in
// each kind that takes it, the [Typical] images whose sets there are, then
// random combinations of 1 to 6 sets from a fixed seed, each in a random
// kind that takes it.
func Population(sets map[string][]string, n int) []Combination {
	names := slices.Sorted(maps.Keys(sets))
	var out []Combination
	seen := map[string]bool{}
	add := func(cb Combination) {
		if len(out) < n && allowed(cb.Kind, cb.Sets, sets) && !seen[cb.String()] {
			seen[cb.String()] = true
			out = append(out, cb)
		}
	}
	for _, k := range kind.All {
		for _, s := range names {
			add(Combination{k, []string{s}})
		}
	}
	for _, cb := range Typical {
		if !slices.ContainsFunc(cb.Sets, func(s string) bool { return sets[s] == nil }) {
			add(cb)
		}
	}
	rng := rand.New(rand.NewPCG(24, 530))
	for tries := 0; len(out) < n && tries < 100*n; tries++ {
		k := kind.All[rng.IntN(len(kind.All))]
		perm := rng.Perm(len(names))[:min(1+rng.IntN(6), len(names))]
		var chosen []string
		for _, i := range perm {
			chosen = append(chosen, names[i])
		}
		slices.Sort(chosen)
		add(Combination{k, chosen})
	}
	return out
}

// Quality is what a partitioning costs the images of a population and a
// host that pulls images two at a time.
type Quality struct {
	// Images is the number of images planned, Closure the sum of their
	// closures' NAR sizes and Bloat the sum of their bloat, in bytes.
	Images        int
	Closure       int64
	Bloat         int64
	Worst         float64     // the most bloat of an image, as a fraction of its closure
	WorstImage    Combination // the first image with that bloat
	Over2Percent  int         // images whose bloat is more than 2 % of their closure
	Pairs         int         // ordered pairs of images pulled
	Pulled, Least int64       // bytes the pairs pulled, and the least they could
}

// BloatRatio is the bloat over all images, as a fraction of their
// closures.
func (q Quality) BloatRatio() float64 { return float64(q.Bloat) / float64(max(q.Closure, 1)) }

// PullRatio is the bytes pulled over the least that the pairs need.
func (q Quality) PullRatio() float64 { return float64(q.Pulled) / float64(max(q.Least, 1)) }

// Measure plans the image of each combination of images on p, the
// partitioning of c, and sums up the bloat. For every ordered pair of
// pairs, it counts the bytes that pulling the first image and then the
// second pulls (every layer of the first, then the layers of the second
// that the first lacks, bloat included), against the least they need
// (the first's closure, then the paths of the second's that the first
// lacks).
func Measure(c layers.Catalog, p *layers.Partitioning, sets map[string][]string, images, pairs []Combination) (Quality, error) {
	build := newImageBuilder(c, nil)
	var q Quality
	for _, cb := range images {
		pl, err := planned(build, p, sets, cb)
		if err != nil {
			return Quality{}, err
		}
		q.Images++
		q.Closure += pl.closure
		q.Bloat += pl.bloat
		f := float64(pl.bloat) / float64(max(pl.closure, 1))
		if f > q.Worst {
			q.Worst, q.WorstImage = f, cb
		}
		if f > 0.02 {
			q.Over2Percent++
		}
	}
	var ps []*plannedImage
	for _, cb := range pairs {
		pl, err := planned(build, p, sets, cb)
		if err != nil {
			return Quality{}, err
		}
		ps = append(ps, pl)
	}
	for i, a := range ps {
		for j, b := range ps {
			if i == j {
				continue
			}
			q.Pairs++
			q.Pulled += sum(a.layers) + sumMissing(b.layers, a.layers)
			q.Least += sum(a.paths) + sumMissing(b.paths, a.paths)
		}
	}
	return q, nil
}

// plannedImage is what Measure needs of an image's plan.
type plannedImage struct {
	layers         map[string]int64 // layer ID → size
	paths          map[string]int64 // closure path → NAR size
	closure, bloat int64
}

// planned plans the image of cb on p.
func planned(build *imageBuilder, p *layers.Partitioning, sets map[string][]string, cb Combination) (*plannedImage, error) {
	img, err := build.image(cb.attrs(sets))
	if err != nil {
		return nil, err
	}
	plan, err := layers.Plan(img, p, p.Budget)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", cb, err)
	}
	out := &plannedImage{layers: map[string]int64{}, paths: map[string]int64{}, closure: img.Graph.Total(), bloat: plan.Bloat}
	for _, l := range plan.Layers {
		out.layers[l.ID] = l.Size
	}
	for _, path := range img.Graph.Paths() {
		info, _ := img.Graph.Lookup(path)
		out.paths[path] = info.NarSize
	}
	return out, nil
}

// sum adds up the sizes of m.
func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// sumMissing adds up the sizes in m of the keys that have lacks.
func sumMissing(m, have map[string]int64) int64 {
	var n int64
	for k, v := range m {
		if _, ok := have[k]; !ok {
			n += v
		}
	}
	return n
}
