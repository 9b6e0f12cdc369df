package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/nixlayer/nixlayer/internal/image"
)

// TestReassemble checks that Write, finding a store path of the blob
// cache damaged while it writes the image (a disk error, say), compresses
// it again from the store and writes the same image, whole; and that when
// the store lost the path too, it fails rather than write another image.
func TestReassemble(t *testing.T) {
	f := newFake(t)
	b, _ := f.build(t)
	damage := func() {
		t.Helper()
		entries, err := filepath.Glob(filepath.Join(f.cache.Blobs(), "paths", "*.gz"))
		if err != nil || len(entries) == 0 {
			t.Fatalf("the blob cache's store paths: %v, %v", entries, err)
		}
		data, err := os.ReadFile(entries[0])
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0xff
		writeFile(t, entries[0], string(data))
	}
	damage()
	var progress strings.Builder
	dir := filepath.Join(t.TempDir(), "layout")
	if err := Write(t.Context(), []*Built{b}, Outputs{Layout: dir, Tag: "nixlayer-test:latest"}, &progress); err != nil {
		t.Fatalf("writing with a damaged blob cache: %v\n%s", err, progress.String())
	}
	if !strings.Contains(progress.String(), "compressing again") {
		t.Errorf("the progress does not say the damaged paths were compressed again:\n%s", progress.String())
	}
	imgs, err := image.ReadLayout(dir)
	if err != nil || len(imgs) != 1 {
		t.Fatalf("the layout: %v, %v", imgs, err)
	}
	if d, err := imgs[0].Digest(); err != nil || d.String() != b.Digest {
		t.Errorf("the layout holds %v (%v), the build made %s", d, err, b.Digest)
	}
	if err := validate.Image(imgs[0]); err != nil {
		t.Errorf("the written image: %v", err)
	}

	damage()
	f.nix.Lose(f.libc)
	if err := Write(t.Context(), []*Built{b}, Outputs{Layout: filepath.Join(t.TempDir(), "layout")}, nil); err == nil {
		t.Error("a damaged blob cache whose paths the store lost too gave an image")
	}
}
