package cachedir

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLayout pins the names of the cache's parts: they are those of the
// caches that earlier nixlayers wrote, which must keep working.
func TestLayout(t *testing.T) {
	d := Dir("/c")
	got := map[string]string{
		"blobs":    d.Blobs(),
		"catalogs": d.Catalogs(),
		"record":   d.Record("0123abcd"),
		"sums":     d.FileSums(),
		"base":     d.BaseLayers(),
		"tag":      d.Tag(),
	}
	want := map[string]string{
		"blobs":    "/c/blobs",
		"catalogs": "/c/catalog",
		"record":   "/c/eval/0123abcd.json",
		"sums":     "/c/eval/files.json",
		"base":     "/c/base-layers",
		"tag":      "/c/CACHEDIR.TAG",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the parts of %s (-want +got):\n%s", d, diff)
	}
	var none Dir
	for name, p := range map[string]string{"blobs": none.Blobs(), "catalogs": none.Catalogs(), "record": none.Record("k"), "sums": none.FileSums(), "base": none.BaseLayers(), "tag": none.Tag()} {
		if p != "" {
			t.Errorf("the zero Dir's %s is %q, want none", name, p)
		}
	}
	if !strings.HasPrefix(TagContent, "Signature: 8a477f597d28d172789f06886806bc55") {
		t.Errorf("the tag does not start with the signature the specification requires: %q", TagContent)
	}
}

// TestIsCache checks that a directory with a tag, nixlayer's or another
// program's, is a cache, and one without is not.
func TestIsCache(t *testing.T) {
	d := Dir(t.TempDir())
	if IsCache(string(d)) {
		t.Fatal("a new directory is a cache")
	}
	if err := os.WriteFile(d.Tag(), []byte("Signature: 8a477f597d28d172789f06886806bc55\n# another program's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !IsCache(string(d)) {
		t.Error("a tagged directory is not a cache")
	}
}
