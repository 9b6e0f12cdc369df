package container

import (
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Cache volume names. Each starts with "nixlayer-", so that nixlayer's
// volumes stand out among an engine's. The two Nix volumes are per Nix image
// and system: NixVolumes adds both to their names.
const (
	// NixStoreVolume holds /nix: the store and its database. It is seeded
	// from the image's own /nix, so store and database agree, and the
	// image's nix itself lives there. A seed applies only when a volume is
	// created, so a new image must mean a new volume: the name carries the
	// image's digest. It carries the system too, since each platform pulls
	// another image from the same index.
	NixStoreVolume = "nixlayer-nix-store"
	// NixFetcherVolume holds Nix's fetcher cache (FetcherCacheDir). Its
	// entries name paths in the store, so it goes with the store's volume.
	NixFetcherVolume = "nixlayer-nix-fetcher"
	// BlobCacheVolume holds the helper's layer blobs (--cache). They are
	// addressed by content and do not depend on the Nix image or the
	// system. Change the version when the helper's cache layout changes.
	BlobCacheVolume = "nixlayer-layer-blobs-v1"
	// GoModVolume is Go's module cache, for building the helper.
	GoModVolume = "nixlayer-go-mod"
	// GoBuildVolume is Go's build cache, for building the helper. Go keys
	// its entries by toolchain, so Go images can share it.
	GoBuildVolume = "nixlayer-go-build"
)

// NixVolumes returns the names of the volumes of /nix and of Nix's fetcher
// cache, for the Nix image (which must be pinned by a sha256 digest) and
// system, such as "nixlayer-nix-store-x86_64-linux-e2bff159…" with the whole
// digest. An image that is not pinned is an error that wraps
// usererr.ErrBadInput.
func NixVolumes(image, system string) (store, fetcher string, err error) {
	digest, err := nixDigest(image)
	if err != nil {
		return "", "", err
	}
	suffix := "-" + system + "-" + digest
	return NixStoreVolume + suffix, NixFetcherVolume + suffix, nil
}

// CheckNixImage returns NixVolumes' error for an image that is not pinned
// by a sha256 digest, or nil, so that a caller can refuse such an image
// before any work.
func CheckNixImage(image string) error {
	_, err := nixDigest(image)
	return err
}

// nixDigest returns the hexadecimal sha256 digest that pins the Nix image.
func nixDigest(image string) (string, error) {
	_, digest, ok := strings.Cut(image, "@sha256:")
	if !ok || !isHex(digest, 64) {
		return "", fmt.Errorf("nix image %q is not pinned by digest: give it as name:tag@sha256:<64 hex digits>, since the /nix cache volume is seeded from the image the first time and is named after the digest: %w", image, usererr.ErrBadInput)
	}
	return digest, nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
