package refs_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/refs"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

const digest = "7a007c766426c1877758ddc5cb87a965ac131fc78c582ce0083d922d51ae945c"

func TestPublish(t *testing.T) {
	tests := []struct {
		address string
		tags    []string
		want    []string
		err     string
	}{
		{
			address: "ghcr.io/acme/app/runtime:2026-11-22",
			want:    []string{"ghcr.io/acme/app/runtime:2026-11-22"},
		},
		{
			address: "ghcr.io/acme/app/runtime:2026-11-22",
			tags:    []string{"latest", "2026-11-22", "v1.2", "latest"},
			want:    []string{"ghcr.io/acme/app/runtime:2026-11-22", "ghcr.io/acme/app/runtime:latest", "ghcr.io/acme/app/runtime:v1.2"},
		},
		{
			// A registry port is not a tag.
			address: "localhost:5000/app",
			tags:    []string{"dev"},
			want:    []string{"localhost:5000/app", "localhost:5000/app:dev"},
		},
		{
			address: "localhost:5000/app:1",
			tags:    []string{"dev"},
			want:    []string{"localhost:5000/app:1", "localhost:5000/app:dev"},
		},
		{address: "", err: `publishing: address "" is not an image reference, such as ghcr.io/acme/app/runtime:2026-11-22`},
		{address: "ghcr.io/acme/app @x", err: `publishing: address "ghcr.io/acme/app @x" is not an image reference, such as ghcr.io/acme/app/runtime:2026-11-22`},
		{address: "ghcr.io/acme/app@sha256:" + digest, err: `publishing: address "ghcr.io/acme/app@sha256:` + digest + `" has a digest; give a tag, or none for latest`},
		{address: "ghcr.io/acme/app", tags: []string{"-x"}, err: `publishing: tag "-x" is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`},
		{address: "ghcr.io/acme/app", tags: []string{"a/b"}, err: `publishing: tag "a/b" is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`},
		{address: "ghcr.io/acme/app", tags: []string{""}, err: `publishing: tag "" is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`},
		{address: "ghcr.io/acme/app", tags: []string{strings.Repeat("a", 129)}, err: `publishing: tag "` + strings.Repeat("a", 129) + `" is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`},
	}
	for _, tt := range tests {
		got, err := refs.Publish(tt.address, tt.tags)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("PublishRefs(%q, %q) error = %v, want %q", tt.address, tt.tags, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("PublishRefs(%q, %q): %v", tt.address, tt.tags, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("PublishRefs(%q, %q) (-want +got):\n%s", tt.address, tt.tags, diff)
		}
	}
	if _, err := refs.Publish("ghcr.io/acme/app", []string{strings.Repeat("a", 128)}); err != nil {
		t.Errorf("a tag of 128 characters: %v", err)
	}
}

func TestLoopback(t *testing.T) {
	for address, want := range map[string]bool{
		"localhost:5000/app/runtime:1": true,
		"127.0.0.1:5000/app":           true,
		"127.1.2.3/app":                true,
		"[::1]:5000/app":               true,
		"localhost/app":                true,
		"ghcr.io/acme/app/runtime:1":   false,
		"registry:5000/app":            false,
		"172.17.0.1:5000/app":          false,
		"not a reference":              false,
	} {
		if got := refs.Loopback(address); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", address, got, want)
		}
	}
}

func TestImage(t *testing.T) {
	for _, ref := range []string{"docker.io/library/golang:1.26-bookworm@sha256:" + digest, "golang", "registry:5000/go:1", "localhost/go@sha256:" + digest} {
		if err := refs.Image("--go-image", ref); err != nil {
			t.Errorf("Image(%q): %v", ref, err)
		}
	}
	for _, ref := range []string{"", "golang:1.26 bookworm", "Golang:1.26", "golang@sha256:abc", "golang:"} {
		want := `--go-image "` + ref + `" is not an image reference, such as registry.example/name:tag`
		if err := refs.Image("--go-image", ref); err == nil || err.Error() != want || !errors.Is(err, usererr.ErrBadInput) {
			t.Errorf("Image(%q) = %v, want %q wrapping usererr.ErrBadInput", ref, err, want)
		}
	}
}
