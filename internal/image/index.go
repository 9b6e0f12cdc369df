package image

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/nixlayer/nixlayer/internal/platform"
)

// PlatformOf returns the platform that img's config names.
func PlatformOf(img v1.Image) (v1.Platform, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return v1.Platform{}, fmt.Errorf("reading the image config: %w", err)
	}
	return v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}, nil
}

// platformRank is the position of p in nixlayer's platform table, which
// orders the manifests of an index, or -1.
func platformRank(p v1.Platform) int {
	return slices.IndexFunc(platform.All(), func(q platform.Platform) bool {
		return q.OS == p.OS && q.Architecture == p.Architecture && q.Variant == p.Variant
	})
}

// NewIndex returns the OCI image index of imgs, one image per platform,
// in the order of nixlayer's platform table, whatever the order of imgs:
// each descriptor has the image's platform, so that a client pulls the one
// of its own. The same images give the same index digest. Two images of one
// platform, or an image of a platform nixlayer does not build for, are an
// error.
func NewIndex(imgs []v1.Image) (v1.ImageIndex, error) {
	if len(imgs) == 0 {
		return nil, errors.New("making an image index: no images")
	}
	type entry struct {
		img  v1.Image
		p    v1.Platform
		rank int
	}
	var entries []entry
	for _, img := range imgs {
		p, err := PlatformOf(img)
		if err != nil {
			return nil, fmt.Errorf("making an image index: %w", err)
		}
		rank := platformRank(p)
		if rank < 0 {
			return nil, fmt.Errorf("making an image index: an image is for %s, not a platform nixlayer builds for", p.String())
		}
		if slices.ContainsFunc(entries, func(e entry) bool { return e.rank == rank }) {
			return nil, fmt.Errorf("making an image index: two images are for %s", p.String())
		}
		entries = append(entries, entry{img, p, rank})
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.rank - b.rank })
	adds := make([]mutate.IndexAddendum, len(entries))
	for i, e := range entries {
		mt, err := e.img.MediaType()
		if err != nil {
			return nil, fmt.Errorf("making an image index: %w", err)
		}
		p := e.p
		adds[i] = mutate.IndexAddendum{Add: e.img, Descriptor: v1.Descriptor{MediaType: mt, Platform: &p}}
	}
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...)
	if _, err := idx.Digest(); err != nil {
		return nil, fmt.Errorf("making an image index: %w", err)
	}
	return idx, nil
}

// ReadLayout reads the images of the OCI image layout in dir: its one
// image, or the images of its one image index, one per platform, in the
// index's order. Their layers are read from the layout's blobs when they
// are used.
func ReadLayout(dir string) ([]v1.Image, error) {
	imgs, err := readLayout(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the OCI layout %s: %w", dir, err)
	}
	return imgs, nil
}

func readLayout(dir string) ([]v1.Image, error) {
	if fi, err := os.Stat(filepath.Join(dir, "index.json")); err != nil || !fi.Mode().IsRegular() {
		return nil, errors.New("it is not an OCI image layout (no index.json)")
	}
	top, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, err
	}
	m, err := top.IndexManifest()
	if err != nil {
		return nil, err
	}
	if len(m.Manifests) != 1 {
		return nil, fmt.Errorf("its index.json lists %d manifests; nixlayer reads layouts of one image or one image index", len(m.Manifests))
	}
	d := m.Manifests[0]
	switch {
	case d.MediaType.IsImage():
		img, err := top.Image(d.Digest)
		if err != nil {
			return nil, err
		}
		return []v1.Image{img}, nil
	case d.MediaType.IsIndex():
		idx, err := top.ImageIndex(d.Digest)
		if err != nil {
			return nil, err
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		var imgs []v1.Image
		for _, c := range im.Manifests {
			if !c.MediaType.IsImage() {
				return nil, fmt.Errorf("its index holds %s, which is not an image", c.MediaType)
			}
			img, err := idx.Image(c.Digest)
			if err != nil {
				return nil, err
			}
			imgs = append(imgs, img)
		}
		return imgs, nil
	}
	return nil, fmt.Errorf("its index.json names a %s", d.MediaType)
}

// WriteIndexLayout writes imgs, named ref, as an OCI image layout in dir,
// like WriteLayout: one image as WriteLayout writes it, several as one
// image index (see NewIndex) whose blob index.json names.
func WriteIndexLayout(ctx context.Context, imgs []v1.Image, dir, ref string) error {
	if len(imgs) == 1 {
		return WriteLayout(ctx, imgs[0], dir, ref)
	}
	if err := writeIndexLayout(ctx, imgs, dir, ref); err != nil {
		return fmt.Errorf("writing image layout %s: %w", dir, err)
	}
	return nil
}

func writeIndexLayout(ctx context.Context, imgs []v1.Image, dir, ref string) error {
	tag, err := parseRef(ref)
	if err != nil {
		return err
	}
	idx, err := NewIndex(imgs)
	if err != nil {
		return err
	}
	raw, err := idx.RawManifest()
	if err != nil {
		return err
	}
	top := inMemory(raw)
	var all []blob
	var parts *imageParts
	for _, img := range imgs {
		if parts, err = readImage(img); err != nil {
			return err
		}
		all = append(all, parts.blobs()...)
	}
	all = append(all, top)
	index, err := indexJSON(descriptorOf(types.OCIImageIndex, top), tag)
	if err != nil {
		return err
	}
	return writeLayoutDir(ctx, dir, distinct(all), index)
}
