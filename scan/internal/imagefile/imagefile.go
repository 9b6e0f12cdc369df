package imagefile

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Image is an opened image.
type Image struct {
	v1.Image
	// Archive is a docker archive of the image, which osv-scanner's image
	// scanning reads: the input itself, or a copy Open wrote.
	Archive string
	// Source is the path the image was read from.
	Source string
	tmp    string
}

// Open reads the image at p: an OCI layout directory, or an image archive.
// For a directory, it writes a docker archive into a new directory under
// tmp, which Close removes. A path that is neither is bad input.
func Open(p, tmp string) (*Image, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, usererr.Errorf("reading the image: %w", err)
	}
	if st.IsDir() {
		return openLayout(p, tmp)
	}
	img, err := tarball.ImageFromPath(p, nil)
	if err == nil {
		_, err = img.ConfigFile() // reads manifest.json and the config
	}
	if err != nil {
		return nil, usererr.Errorf("reading the image archive %s: %s", p, oneLine(err))
	}
	return &Image{Image: img, Archive: p, Source: p}, nil
}

func openLayout(dir, tmp string) (*Image, error) {
	lp, err := layout.FromPath(dir)
	if err != nil {
		return nil, usererr.Errorf("reading the OCI layout %s: %s", dir, oneLine(err))
	}
	idx, err := lp.ImageIndex()
	if err != nil {
		return nil, usererr.Errorf("reading the OCI layout %s: %s", dir, oneLine(err))
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, usererr.Errorf("reading the OCI layout %s: %s", dir, oneLine(err))
	}
	if len(m.Manifests) != 1 {
		return nil, usererr.Errorf("reading the OCI layout %s: it has %d images; want one", dir, len(m.Manifests))
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		return nil, usererr.Errorf("reading the OCI layout %s: %s", dir, oneLine(err))
	}
	work, err := os.MkdirTemp(tmp, "nixlayer-scan-")
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	archive := filepath.Join(work, "image.tar")
	tag, _ := name.NewTag("nixlayer/scan:latest")
	if err := tarball.WriteToFile(archive, tag, img); err != nil {
		os.RemoveAll(work)
		return nil, fmt.Errorf("writing %s as an archive for the scan: %w", dir, err)
	}
	return &Image{Image: img, Archive: archive, Source: dir, tmp: work}, nil
}

// Close removes what Open wrote.
func (im *Image) Close() error {
	if im.tmp == "" {
		return nil
	}
	return os.RemoveAll(im.tmp)
}

// ErrNoSBOM is matched by the error of SBOM for an image without one.
var ErrNoSBOM = errors.New("the image has no SBOM")

// SBOM returns the file at sbom.Path in the image: from the topmost layer
// that has it, unless a layer above deletes it. When the image config has
// the sbom.Label label, the file's digest must match it.
func (im *Image) SBOM() ([]byte, error) {
	layers, err := im.Layers()
	if err != nil {
		return nil, usererr.Errorf("reading the image's layers: %s", oneLine(err))
	}
	want := strings.TrimPrefix(sbom.Path, "/")
	whiteout := path.Join(path.Dir(want), ".wh."+path.Base(want))
	var data []byte
	for i := len(layers) - 1; i >= 0 && data == nil; i-- {
		found, deleted, err := findFile(layers[i], want, whiteout)
		if err != nil {
			return nil, usererr.Errorf("reading layer %d of the image: %s", i+1, oneLine(err))
		}
		if deleted {
			break
		}
		data = found
	}
	if data == nil {
		return nil, fmt.Errorf("%w at %s: build it with a nixlayer that writes one, or pass --sbom FILE", ErrNoSBOM, sbom.Path)
	}
	cfg, err := im.ConfigFile()
	if err != nil {
		return nil, usererr.Errorf("reading the image config: %s", oneLine(err))
	}
	if label := cfg.Config.Labels[sbom.Label]; label != "" && label != sbom.Digest(data) {
		return nil, usererr.Errorf("the SBOM at %s has digest %s, but the image's %s label says %s", sbom.Path, sbom.Digest(data), sbom.Label, label)
	}
	return data, nil
}

// findFile looks for the file want, or its whiteout, in a layer.
func findFile(l v1.Layer, want, whiteout string) (data []byte, deleted bool, err error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, false, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		n := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		switch {
		case n == whiteout:
			return nil, true, nil
		case n == want && h.Typeflag == tar.TypeReg:
			data, err := io.ReadAll(tr)
			return data, false, err
		}
	}
}

// oneLine joins an error's lines.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
