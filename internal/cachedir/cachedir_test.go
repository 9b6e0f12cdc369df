package cachedir

import (
	"os"
	"path/filepath"
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
	}
	want := map[string]string{
		"blobs":    "/c/blobs",
		"catalogs": "/c/catalog",
		"record":   "/c/eval/0123abcd.json",
		"sums":     "/c/eval/files.json",
		"base":     "/c/base-layers",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the parts of %s (-want +got):\n%s", d, diff)
	}
	var none Dir
	for name, p := range map[string]string{"blobs": none.Blobs(), "catalogs": none.Catalogs(), "record": none.Record("k"), "sums": none.FileSums(), "base": none.BaseLayers()} {
		if p != "" {
			t.Errorf("the zero Dir's %s is %q, want none", name, p)
		}
	}
}

// TestTag checks that Tag marks a directory once, with the signature the
// specification requires first, and leaves another program's tag alone.
func TestTag(t *testing.T) {
	d := Dir(t.TempDir())
	if IsCache(string(d)) {
		t.Fatal("a new directory is a cache")
	}
	if err := d.Tag(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(string(d), "CACHEDIR.TAG"))
	if err != nil || string(data[:43]) != "Signature: 8a477f597d28d172789f06886806bc55" || !IsCache(string(d)) {
		t.Fatalf("the tag: %q, %v", data, err)
	}

	other := Dir(t.TempDir())
	theirs := "Signature: 8a477f597d28d172789f06886806bc55\n# another program's\n"
	if err := os.WriteFile(filepath.Join(string(other), TagFile), []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := other.Tag(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(string(other), TagFile)); string(data) != theirs {
		t.Errorf("Tag rewrote another program's tag: %q", data)
	}
}
