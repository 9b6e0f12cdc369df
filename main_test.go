package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// TestNew checks that New refuses, in one line of bad input, what it can
// tell is wrong before any function runs: a Nix image not pinned by
// digest, an image name that is not a reference, and a project file
// outside the project directory.
func TestNew(t *testing.T) {
	m, err := New(container.DefaultNixImage, container.DefaultGoImage, nil, "ci/nixlayer.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (&Nixlayer{NixImage: container.DefaultNixImage, GoImage: container.DefaultGoImage, ProjectFile: "ci/nixlayer.yaml"}); *m != *want {
		t.Errorf("New = %+v, want %+v", m, want)
	}
	pinned := container.DefaultNixImage
	_, digest, _ := strings.Cut(pinned, "@")
	tests := []struct{ nixImage, goImage, projectFile, want string }{
		{"docker.io/nixos/nix:2.35.2", container.DefaultGoImage, "nixlayer.yaml",
			`nix image "docker.io/nixos/nix:2.35.2" is not pinned by digest: give it as name:tag@sha256:<64 hex digits>, since the /nix cache volume is seeded from the image the first time and is named after the digest: bad input`},
		{"nixos nix@" + digest, container.DefaultGoImage, "nixlayer.yaml",
			`--nix-image "nixos nix@` + digest + `" is not an image reference, such as registry.example/name:tag`},
		{pinned, "golang:1.26 bookworm", "nixlayer.yaml", `--go-image "golang:1.26 bookworm" is not an image reference, such as registry.example/name:tag`},
		{pinned, container.DefaultGoImage, "../nixlayer.yaml", `--project-file "../nixlayer.yaml": give a path inside the project directory, such as nixlayer.yaml`},
		{pinned, container.DefaultGoImage, "/src/nixlayer.yaml", `--project-file "/src/nixlayer.yaml": give a path inside the project directory, such as nixlayer.yaml`},
		{pinned, container.DefaultGoImage, "", `--project-file "": give a path inside the project directory, such as nixlayer.yaml`},
	}
	for _, tt := range tests {
		_, err := New(tt.nixImage, tt.goImage, nil, tt.projectFile, nil)
		if err == nil || err.Error() != tt.want || !errors.Is(err, usererr.ErrBadInput) {
			t.Errorf("New(%q, %q, %q) = %v, want %q wrapping usererr.ErrBadInput", tt.nixImage, tt.goImage, tt.projectFile, err, tt.want)
		}
	}
}
