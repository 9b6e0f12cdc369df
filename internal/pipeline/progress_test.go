package pipeline

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/image"
)

// TestLayerProgress feeds the events of a build of 3 paths (2 compressed,
// 1 reused) and 2 layers (1 computed, 1 reused), as fast as a warm machine
// makes them: one line when compression starts, and the final counts, in
// order.
func TestLayerProgress(t *testing.T) {
	var out strings.Builder
	im := &Image{Progress: &out}
	report := im.layerProgress()
	for _, ev := range []image.Event{
		{Kind: image.PathReused, Done: 1, Total: 3},
		{Kind: image.PathCompressing, Total: 3},
		{Kind: image.PathCompressing, Total: 3},
		{Kind: image.PathCompressed, Done: 2, Total: 3},
		{Kind: image.PathCompressed, Done: 3, Total: 3},
		{Kind: image.LayerReused, Done: 1, Total: 2, Layer: 1},
		{Kind: image.LayerComputed, Done: 2, Total: 2, Layer: 0},
	} {
		report(ev)
	}
	want := []string{
		"nixlayer: compressing the store paths the cache lacks (3 in the image)",
		"nixlayer: 3 of 3 store paths compressed or in the cache",
		"nixlayer: 2 of 2 layers ready",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(out.String()), "\n")); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}

	// A build that finds everything in the cache says only that.
	out.Reset()
	report = im.layerProgress()
	for _, ev := range []image.Event{
		{Kind: image.PathReused, Done: 1, Total: 2}, {Kind: image.PathReused, Done: 2, Total: 2},
		{Kind: image.LayerReused, Done: 1, Total: 1},
	} {
		report(ev)
	}
	if got := out.String(); got != "nixlayer: 1 of 1 layers ready\n" {
		t.Errorf("a warm build's progress: %q", got)
	}
}
