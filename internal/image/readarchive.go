package image

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// ReadArchive reads the images of an image archive: an OCI archive (a tar
// of an OCI layout, as skopeo's oci-archive: and Dagger's
// Container.asTarball write), a docker save archive, or one that is both,
// as WriteArchive writes. When the archive holds an OCI layout, its images
// are read from it, so their manifests are the archive's, byte for byte;
// a docker archive's manifest is made anew from its manifest.json. Blobs
// are read from the file when they are used, and checked by the writers
// against their digests.
func ReadArchive(file string) ([]v1.Image, error) {
	imgs, err := archiveImages(file)
	if err != nil {
		return nil, fmt.Errorf("reading the image archive %s: %w", file, err)
	}
	return imgs, nil
}

func archiveImages(file string) ([]v1.Image, error) {
	a, err := indexTar(file)
	if err != nil {
		return nil, err
	}
	if _, ok := a.entries["index.json"]; ok {
		return a.images()
	}
	if _, ok := a.entries["manifest.json"]; !ok {
		return nil, errors.New("it holds neither an OCI layout (index.json) nor a docker archive (manifest.json)")
	}
	img, err := tarball.ImageFromPath(file, nil)
	if err != nil {
		return nil, err
	}
	return []v1.Image{img}, nil
}

// tarArchive is an uncompressed tar file, with where each regular file's
// content is.
type tarArchive struct {
	file    string
	entries map[string]section
}

// section is where a file's content is in the tar file.
type section struct{ off, size int64 }

// indexTar reads the headers of the tar file.
func indexTar(file string) (*tarArchive, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a := &tarArchive{file: file, entries: map[string]section{}}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return a, nil
		}
		if err != nil {
			return nil, fmt.Errorf("it is not a tar file: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		// The reader stops at the start of the entry's content.
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, err
		}
		a.entries[path.Clean(h.Name)] = section{off: off, size: h.Size}
	}
}

// open returns a reader of the content of the entry name.
func (a *tarArchive) open(name string) (io.ReadCloser, error) {
	s, ok := a.entries[name]
	if !ok {
		return nil, fmt.Errorf("it has no %s", name)
	}
	f, err := os.Open(a.file)
	if err != nil {
		return nil, err
	}
	return readCloser{io.NewSectionReader(f, s.off, s.size), f.Close}, nil
}

// read returns the content of the entry name, which must be small.
func (a *tarArchive) read(name string) ([]byte, error) {
	if s, ok := a.entries[name]; ok && s.size > maxMetadata {
		return nil, fmt.Errorf("%s has %d bytes, more than a manifest or config may", name, s.size)
	}
	rc, err := a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// maxMetadata bounds the index, manifests and configs that are read into
// memory.
const maxMetadata = 16 << 20

// blob returns the content of the blob d.
func (a *tarArchive) blob(d v1.Hash) ([]byte, error) { return a.read(blobPath(d)) }

// images returns the images of the archive's OCI layout: those index.json
// names, and those of the image indexes it names.
func (a *tarArchive) images() ([]v1.Image, error) {
	data, err := a.read("index.json")
	if err != nil {
		return nil, err
	}
	return a.imagesOf(data, 0)
}

func (a *tarArchive) imagesOf(index []byte, depth int) ([]v1.Image, error) {
	if depth > 2 {
		return nil, errors.New("its image indexes are nested too deeply")
	}
	m, err := v1.ParseIndexManifest(bytes.NewReader(index))
	if err != nil {
		return nil, fmt.Errorf("decoding an image index: %w", err)
	}
	var out []v1.Image
	for _, d := range m.Manifests {
		raw, err := a.blob(d.Digest)
		if err != nil {
			return nil, err
		}
		if got, _, _ := v1.SHA256(bytes.NewReader(raw)); got != d.Digest {
			return nil, fmt.Errorf("the manifest %s has digest %s", d.Digest, got)
		}
		switch {
		case d.MediaType.IsIndex():
			imgs, err := a.imagesOf(raw, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, imgs...)
		case d.MediaType.IsImage():
			img, err := partial.CompressedToImage(&archiveImage{a: a, raw: raw, mediaType: d.MediaType})
			if err != nil {
				return nil, err
			}
			out = append(out, img)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("its OCI layout holds no image")
	}
	return out, nil
}

// archiveImage is an image of an archive's OCI layout.
type archiveImage struct {
	a         *tarArchive
	raw       []byte
	mediaType types.MediaType
}

var _ partial.CompressedImageCore = (*archiveImage)(nil)

func (i *archiveImage) RawManifest() ([]byte, error)        { return i.raw, nil }
func (i *archiveImage) MediaType() (types.MediaType, error) { return i.mediaType, nil }

func (i *archiveImage) RawConfigFile() ([]byte, error) {
	m, err := v1.ParseManifest(bytes.NewReader(i.raw))
	if err != nil {
		return nil, err
	}
	return i.a.blob(m.Config.Digest)
}

// LayerByDigest returns the layer (or the config) with digest h.
func (i *archiveImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	m, err := v1.ParseManifest(bytes.NewReader(i.raw))
	if err != nil {
		return nil, err
	}
	for _, d := range append([]v1.Descriptor{m.Config}, m.Layers...) {
		if d.Digest == h {
			return &archiveBlob{a: i.a, desc: d}, nil
		}
	}
	return nil, fmt.Errorf("the image has no blob %s", h)
}

// archiveBlob is a layer of an archive's image.
type archiveBlob struct {
	a    *tarArchive
	desc v1.Descriptor
}

func (b *archiveBlob) Digest() (v1.Hash, error)            { return b.desc.Digest, nil }
func (b *archiveBlob) Size() (int64, error)                { return b.desc.Size, nil }
func (b *archiveBlob) MediaType() (types.MediaType, error) { return b.desc.MediaType, nil }
func (b *archiveBlob) Compressed() (io.ReadCloser, error)  { return b.a.open(blobPath(b.desc.Digest)) }
