package imagefile

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/usererr"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

const sbomFile = "nix/var/nixlayer/sbom.cdx.json"

// stack writes an image whose layers hold layerFiles, the first lowest,
// above a base layer.
func stack(t *testing.T, labels map[string]string, layerFiles ...map[string][]byte) string {
	t.Helper()
	var layers []v1.Layer
	for _, files := range layerFiles {
		ls, err := scantest.Image(t, files, nil).Layers()
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, ls...)
	}
	img := scantest.Image(t, map[string][]byte{"etc/os-release": []byte("ID=nixlayer\n")}, labels)
	img, err := mutate.AppendLayers(img, layers...)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "image.tar")
	tag, _ := name.NewTag("nixlayer/test:latest")
	if err := tarball.WriteToFile(f, tag, img); err != nil {
		t.Fatal(err)
	}
	return f
}

func sbomOf(t *testing.T, archive string) ([]byte, error) {
	t.Helper()
	img, err := Open(archive, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	return img.SBOM()
}

func TestSBOMLayers(t *testing.T) {
	old, cur := []byte(`{"old": true}`), []byte(`{"current": true}`)
	// The topmost layer that has the file wins.
	got, err := sbomOf(t, stack(t, nil, map[string][]byte{sbomFile: old}, map[string][]byte{"bin/x": nil}, map[string][]byte{sbomFile: cur}))
	if err != nil || string(got) != string(cur) {
		t.Errorf("SBOM = %q, %v; want the topmost layer's", got, err)
	}
	// A whiteout above deletes it.
	_, err = sbomOf(t, stack(t, nil, map[string][]byte{sbomFile: old}, map[string][]byte{"nix/var/nixlayer/.wh.sbom.cdx.json": nil}))
	if !errors.Is(err, ErrNoSBOM) {
		t.Errorf("SBOM under a whiteout: %v, want ErrNoSBOM", err)
	}
	// The label must give the file's digest.
	if _, err := sbomOf(t, stack(t, map[string]string{sbom.Label: sbom.Digest(cur)}, map[string][]byte{sbomFile: cur})); err != nil {
		t.Errorf("SBOM with its label: %v", err)
	}
	_, err = sbomOf(t, stack(t, map[string]string{sbom.Label: sbom.Digest(old)}, map[string][]byte{sbomFile: cur}))
	if err == nil || !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("SBOM whose label is another digest: %v, want bad input", err)
	}
}
