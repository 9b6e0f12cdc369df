package pipeline

import (
	"context"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// BaseSource says where a base image comes from (see OpenBase).
type BaseSource struct {
	// Ref is an OCI layout directory, an image archive or a registry
	// reference.
	Ref string
	// Name, when set, is the base.name label instead of Ref, which is the
	// label only for a registry reference: the reference an archive of a
	// registry's image was saved from, for instance.
	Name string
	// Registry says how to reach a registry.
	Registry image.Registry
	// CacheDir keeps a registry image's layers, so that the reads of its
	// filesystem and of its layers download each once.
	CacheDir string
}

// Base is a base image, opened and read: the image an image's layers are
// put on (see Image.Base).
type Base struct {
	image v1.Image
	fs    *rootfs.Base
	// Digest is the base's manifest digest.
	Digest string
	// Layers is how many layers it has.
	Layers int
	// Setuid are its own setuid and setgid files, which a runtime image
	// reports, since nixlayer adds none.
	Setuid []string
}

// OpenBase opens the base image of src for p, reads its flattened
// filesystem and checks that an image of kind k can be built on it: that
// its accounts leave the name and id of k's user free. A base that is no
// image, is of another platform or clashes is bad input (it wraps
// usererr.ErrBadInput), found before anything is built.
func OpenBase(ctx context.Context, src BaseSource, k kind.Kind, p platform.Platform) (*Base, error) {
	s, err := image.OpenImage(ctx, src.Ref, image.OpenOptions{
		Platform: v1.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant},
		Registry: src.Registry, CacheDir: src.CacheDir,
	})
	if err != nil {
		if _, ok := errors.AsType[*image.BadImageError](err); ok {
			return nil, usererr.Errorf("--base-image %s: %s", src.Ref, err)
		}
		return nil, fmt.Errorf("opening the base image %s: %w", src.Ref, err)
	}
	ls, err := s.Image.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the base image's layers: %w", err)
	}
	if len(ls) > layers.MaxImageLayers-layers.MinLayers {
		return nil, usererr.Errorf("--base-image %s: it has %d layers, and an image may have %d, of which nixlayer needs at least %d", src.Ref, len(ls), layers.MaxImageLayers, layers.MinLayers)
	}
	cf, err := s.Image.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the base image's config: %w", err)
	}
	name := src.Name
	if name == "" {
		name = s.Name
	}
	r := mutate.Extract(s.Image)
	defer r.Close()
	fs, err := rootfs.ReadBase(r, name, s.Digest.String(), cf.Config)
	if err != nil {
		return nil, err
	}
	if err := rootfs.CheckBase(k, fs); err != nil {
		return nil, err
	}
	return &Base{image: s.Image, fs: fs, Digest: s.Digest.String(), Layers: len(ls), Setuid: fs.Setuid()}, nil
}
