package container_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

const digest = "e2bff159b88c242722022a273d3832a4392f01dba35b796204d852b89042526e"

func TestNixVolumes(t *testing.T) {
	tests := []struct {
		image, system  string
		store, fetcher string
		err            string
	}{
		{
			image: "docker.io/nixos/nix:2.28.5@sha256:" + digest, system: "x86_64-linux",
			store:   "nixlayer-nix-store-x86_64-linux-" + digest,
			fetcher: "nixlayer-nix-fetcher-x86_64-linux-" + digest,
		},
		{
			// Another system pulls another image from the index: another volume.
			image: "registry:5000/nix@sha256:" + digest, system: "aarch64-linux",
			store:   "nixlayer-nix-store-aarch64-linux-" + digest,
			fetcher: "nixlayer-nix-fetcher-aarch64-linux-" + digest,
		},
		{
			image: "nixos/nix:2.28.5", system: "x86_64-linux",
			err: `nix image "nixos/nix:2.28.5" is not pinned by digest: give it as name:tag@sha256:<64 hex digits>, since the /nix cache volume is seeded from the image the first time and is named after the digest: bad input`,
		},
		{
			image: "nixos/nix@sha256:E2BFF159", system: "x86_64-linux",
			err: `nix image "nixos/nix@sha256:E2BFF159" is not pinned by digest: give it as name:tag@sha256:<64 hex digits>, since the /nix cache volume is seeded from the image the first time and is named after the digest: bad input`,
		},
	}
	for _, tt := range tests {
		store, fetcher, err := container.NixVolumes(tt.image, tt.system)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("NixVolumes(%q) error = %v, want %q", tt.image, err, tt.err)
			}
			if err := container.CheckNixImage(tt.image); err == nil || err.Error() != tt.err || !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("CheckNixImage(%q) = %v, want %q", tt.image, err, tt.err)
			}
			continue
		}
		if err := container.CheckNixImage(tt.image); err != nil {
			t.Errorf("CheckNixImage(%q): %v", tt.image, err)
		}
		if err != nil {
			t.Errorf("NixVolumes(%q): %v", tt.image, err)
			continue
		}
		if diff := cmp.Diff([]string{tt.store, tt.fetcher}, []string{store, fetcher}); diff != "" {
			t.Errorf("NixVolumes(%q, %q) (-want +got):\n%s", tt.image, tt.system, diff)
		}
	}
}

// TestVolumeNames checks that every volume is nixlayer's and that no two
// share a name.
func TestVolumeNames(t *testing.T) {
	store, fetcher, err := container.NixVolumes(container.DefaultNixImage, "x86_64-linux")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{store, fetcher, container.BlobCacheVolume, container.GoModVolume, container.GoBuildVolume}
	valid := regexp.MustCompile(`^nixlayer-[a-z0-9_.-]+$`)
	seen := map[string]bool{}
	for _, n := range names {
		if !valid.MatchString(n) {
			t.Errorf("volume %q is not a nixlayer- name", n)
		}
		if seen[n] {
			t.Errorf("volume %q is named twice", n)
		}
		seen[n] = true
	}
}
