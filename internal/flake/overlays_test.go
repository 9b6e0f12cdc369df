package flake

import (
	"archive/tar"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/cachedir"
)

// tarFile writes a tar archive whose first entry is named first.
func tarFile(t *testing.T, path, first string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	if err := tw.WriteHeader(&tar.Header{Name: first, Mode: 0o644, Size: 2, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte("{}"))
	tw.Close()
	f.Close()
}

// TestOverlayFiles checks what of an overlay's directory goes into the
// build: at a project's root, its sources do, but not its .git, the
// images a build wrote there (archives and layouts), a cache, a work
// directory of nixlayer's when TMPDIR is inside the project, or links.
func TestOverlayFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("overlay.nix", "final: prev: { }")
	write("patches/CVE-2024-5535.patch", "--- a\n+++ b\n")
	write("nixlayer.yaml", "overlays: [overlay.nix]\n")
	write(".git/HEAD", "ref: refs/heads/main\n")
	write(".nixlayer-work.tmp-123/flake.nix", "{ }")
	write("runtime/oci-layout", `{"imageLayoutVersion":"1.0.0"}`)
	write("runtime/blobs/sha256/aa", "layer")
	write("cache/"+cachedir.TagFile, cachedir.TagContent)
	write("cache/blobs/bb", "blob")
	tarFile(t, filepath.Join(dir, "devcontainer.tar"), "oci-layout")
	tarFile(t, filepath.Join(dir, "saved.tar"), "manifest.json")
	tarFile(t, filepath.Join(dir, "data.tar"), "table.csv")
	if err := os.Symlink("overlay.nix", filepath.Join(dir, "link.nix")); err != nil {
		t.Fatal(err)
	}
	got, err := OverlayFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"data.tar", "nixlayer.yaml", "overlay.nix", filepath.Join("patches", "CVE-2024-5535.patch")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the overlay's files (-want +got):\n%s", diff)
	}
}
