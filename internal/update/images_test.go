package update_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/update"
)

// checkImages builds every standard image at both pins, as nixlayer build
// does, from the flake directories oldFlake and newFlake, and checks the
// report's layers and bytes to pull again against a comparison of the two
// images' store layers: the new image's layers whose digests the old image
// lacks, with their sizes. The customisation layer, always new, is the
// report's note, not its figure.
func checkImages(t *testing.T, d *nix.Driver, r *changes.Report, oldFlake, newFlake string) {
	t.Helper()
	if len(r.Images) != len(update.StandardImages) {
		t.Fatalf("%d images in the report, want %d", len(r.Images), len(update.StandardImages))
	}
	for i, std := range update.StandardImages {
		got := r.Images[i]
		old := storeLayers(t, buildImage(t, d, std, oldFlake))
		new := storeLayers(t, buildImage(t, d, std, newFlake))
		had := map[v1.Hash]bool{}
		for _, l := range old {
			had[digest(t, l)] = true
		}
		want := changes.Image{Name: std.Name, Kind: string(std.Kind), Sets: got.Sets, Layers: len(new), NarBytes: got.NarBytes, TotalNarBytes: got.TotalNarBytes}
		for _, l := range new {
			if !had[digest(t, l)] {
				want.NewLayers++
				n, err := l.Size()
				if err != nil {
					t.Fatal(err)
				}
				want.Bytes += n
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: the built images (-) and the report (+) differ:\n%s", std.Name, diff)
		}
		if (want.Bytes == 0) != (std.Kind == "runtime") {
			t.Errorf("%s: %d bytes to pull again; the planted changes touch every devcontainer and no runtime image", std.Name, want.Bytes)
		}
		t.Logf("%s: %d of %d store layers new, %d bytes", std.Name, want.NewLayers, want.Layers, want.Bytes)
	}
}

// buildImage builds std from the flake directory dir, as nixlayer build
// does, with the catalog attributes that its pin lacks left out.
func buildImage(t *testing.T, d *nix.Driver, std update.StandardImage, dir string) v1.Image {
	t.Helper()
	sel, req, err := selection.Select(std.Sets, nil, nil, "x86_64-linux")
	if err != nil {
		t.Fatal(err)
	}
	b, err := pipeline.Build(context.Background(), d, os.DirFS(dir), pipeline.Image{
		Kind: std.Kind, Selection: sel, Request: req, CacheDir: cacheDir, LenientCatalog: true,
		Sets: catalog.Sets(sets.Builtin(), nil),
	}, t.TempDir())
	if err != nil {
		t.Fatalf("building %s from %s: %v", std.Name, dir, err)
	}
	return b.Image
}

// storeLayers are the image's layers but the last, the customisation
// layer.
func storeLayers(t *testing.T, img v1.Image) []v1.Layer {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	return ls[:len(ls)-1]
}

func digest(t *testing.T, l v1.Layer) v1.Hash {
	t.Helper()
	h, err := l.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
