package image

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/cache"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Source is an image that OpenImage found.
type Source struct {
	Image v1.Image
	// Digest is the image's manifest digest.
	Digest v1.Hash
	// Name is the registry reference the image was read from, as given,
	// or "" for a file or a directory.
	Name string
}

// OpenOptions say which image OpenImage takes and how it reaches a
// registry.
type OpenOptions struct {
	// Platform is the platform to take from an image index; an image of
	// another platform is a BadImageError.
	Platform v1.Platform
	// Registry says how to reach a registry.
	Registry Registry
	// CacheDir, when set, keeps the layers of a registry image by digest,
	// so that each is downloaded once.
	CacheDir string
}

// BadImageError is an image that cannot be used as asked: a source that
// is no image, or an image of another platform. It is the input's fault,
// unlike a registry that cannot be reached.
type BadImageError struct{ Err error }

func (e *BadImageError) Error() string { return e.Err.Error() }
func (e *BadImageError) Unwrap() error { return e.Err }

func badImagef(format string, args ...any) error {
	return &BadImageError{fmt.Errorf(format, args...)}
}

// IsLocal reports whether src names a file or a directory rather than a
// registry reference: it exists, starts with "/", "./" or "../", or ends
// with ".tar".
func IsLocal(src string) bool {
	if _, err := os.Lstat(src); err == nil {
		return true
	}
	for _, p := range []string{"/", "./", "../"} {
		if strings.HasPrefix(src, p) {
			return true
		}
	}
	return strings.HasSuffix(src, ".tar")
}

// OpenImage opens the image that src names, for o.Platform: an OCI layout
// directory (see ReadLayout), an image archive (see ReadArchive), or a
// registry reference, such as ghcr.io/acme/ubuntu-fips:22.04, resolved to
// the digest of the platform's image before its manifest is read. A
// registry image's layers are downloaded when they are read.
func OpenImage(ctx context.Context, src string, o OpenOptions) (*Source, error) {
	if !IsLocal(src) {
		return openRemote(ctx, src, o)
	}
	fi, err := os.Stat(src)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, badImagef("reading the image %s: no such file or directory", src)
		}
		return nil, fmt.Errorf("reading the image %s: %w", src, err)
	}
	var imgs []v1.Image
	if fi.IsDir() {
		imgs, err = ReadLayout(src)
	} else {
		imgs, err = ReadArchive(src)
	}
	if err != nil {
		return nil, &BadImageError{err}
	}
	img, err := pick(imgs, o.Platform)
	if err != nil {
		return nil, fmt.Errorf("reading the image %s: %w", src, err)
	}
	return source(img, "")
}

// source returns the Source of img, read from name.
func source(img v1.Image, name string) (*Source, error) {
	d, err := img.Digest()
	if err != nil {
		return nil, &BadImageError{fmt.Errorf("reading the image's manifest: %w", err)}
	}
	return &Source{Image: img, Digest: d, Name: name}, nil
}

// pick returns the image of imgs for p.
func pick(imgs []v1.Image, p v1.Platform) (v1.Image, error) {
	var have []string
	for _, img := range imgs {
		got, err := PlatformOf(img)
		if err != nil {
			return nil, &BadImageError{err}
		}
		if samePlatform(got, p) {
			return img, nil
		}
		have = append(have, got.String())
	}
	return nil, badImagef("it is an image for %s, not %s", strings.Join(have, " and "), p.String())
}

// samePlatform reports whether an image of platform got runs as want: the
// same OS and architecture, and the same variant when both name one.
func samePlatform(got, want v1.Platform) bool {
	return got.OS == want.OS && got.Architecture == want.Architecture &&
		(got.Variant == "" || want.Variant == "" || got.Variant == want.Variant)
}

// openRemote resolves ref to the digest of its image for o.Platform and
// reads that image's manifest and config.
func openRemote(ctx context.Context, ref string, o OpenOptions) (*Source, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, badImagef("%q is neither a file, a directory nor an image reference: %v", ref, err)
	}
	opts := append(o.Registry.options(ctx), remote.WithPlatform(o.Platform))
	desc, err := remote.Get(r, opts...)
	if err != nil {
		return nil, remoteError(ref, err)
	}
	var img v1.Image
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, remoteError(ref, err)
		}
		m, err := idx.IndexManifest()
		if err != nil {
			return nil, remoteError(ref, err)
		}
		var have []string
		for _, d := range m.Manifests {
			if d.Platform != nil && d.MediaType.IsImage() && samePlatform(*d.Platform, o.Platform) {
				img, err = remote.Image(r.Context().Digest(d.Digest.String()), opts...)
				if err != nil {
					return nil, remoteError(ref, err)
				}
				break
			}
			if d.Platform != nil {
				have = append(have, d.Platform.String())
			}
		}
		if img == nil {
			return nil, badImagef("reading the image %s: it has images for %s, not %s", ref, strings.Join(have, ", "), o.Platform.String())
		}
	} else if img, err = desc.Image(); err != nil {
		return nil, remoteError(ref, err)
	}
	if o.CacheDir != "" {
		img = cache.Image(img, cache.NewFilesystemCache(o.CacheDir))
	}
	if _, err := pick([]v1.Image{img}, o.Platform); err != nil {
		return nil, fmt.Errorf("reading the image %s: %w", ref, err)
	}
	return source(img, ref)
}

// remoteError is the error of reading ref from its registry: a
// BadImageError when the registry says there is no such image, or that
// the login may not read it.
func remoteError(ref string, err error) error {
	err = fmt.Errorf("reading the image %s: %w", ref, err)
	if te, ok := errors.AsType[*transport.Error](err); ok {
		switch te.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return &BadImageError{err}
		}
	}
	return err
}
