package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/crane"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestManyLayeredBase builds a runtime image on a base whose layers leave
// less room than the layer budget asks for: the whole image keeps within
// the 127 layers some registries and runtimes allow, because its store
// layers merge sooner (the summary says which), and it holds the scratch
// image's store paths. A base
// that leaves nixlayer fewer than three layers is refused in one line.
func TestManyLayeredBase(t *testing.T) {
	buildEnv(t)
	debian := readLayout(t, testenv.DebianBase(t))
	_, scratch, _ := build(t, "runtime", "base")
	own := len(layerDigests(t, scratch))
	// Five layers more than the room the scratch image's layers leave.
	n := layers.MaxImageLayers - own + 5
	sum, img, _ := build(t, "runtime", "base", "--base-image", layeredBase(t, debian, n))
	got := len(layerDigests(t, img))
	if got > layers.MaxImageLayers || sum.BaseLayers != n {
		t.Errorf("%d layers on a base of %d (summary: %d), want at most %d", got, n, sum.BaseLayers, layers.MaxImageLayers)
	}
	if sum.Merges == 0 || len(sum.Glued) == 0 {
		t.Errorf("the summary names %d merges and %d glued blocks, want the budget's merges", sum.Merges, len(sum.Glued))
	}
	t.Logf("on a base of %d layers, %d of nixlayer's (%d on scratch), %d merges, bloat %d bytes", n, got-n, own, sum.Merges, sum.Bloat)
	// The closure's paths are all there; blocks merged to fit may bring
	// in others (the plan's bloat).
	onBase := storeLayers(t, img)
	for p := range storeLayers(t, scratch) {
		if _, ok := onBase[p]; !ok {
			t.Errorf("%s, in the scratch image, is in no layer on the base", p)
		}
	}

	full := layers.MaxImageLayers - layers.MinLayers + 1
	code, _, stderr := cli(t, "build", "runtime", "--sets", "base", "--base-image", layeredBase(t, debian, full), "-o", filepath.Join(t.TempDir(), "x.tar"), "-q")
	if want := fmt.Sprintf("it has %d layers", full); code != exitBadInput || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("a base of %d layers: exit %d, %q; want exit %d and one line with %q", full, code, stderr, exitBadInput, want)
	}
}

// layeredBase writes, as an OCI layout, base with small layers appended
// (a file each) until it has n layers, and returns its directory.
func layeredBase(t *testing.T, base v1.Image, n int) string {
	t.Helper()
	have, err := base.Layers()
	if err != nil {
		t.Fatal(err)
	}
	img := base
	for i := len(have); i < n; i++ {
		l, err := crane.Layer(map[string][]byte{fmt.Sprintf("etc/layers/%03d", i): []byte("a layer of a base of many\n")})
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return dir
}
