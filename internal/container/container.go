// Package container holds what the Dagger module needs to run nixlayer's
// pipeline with Nix in a container, and that needs no engine: where the
// work directory and an overriding nixpkgs go, the Nix command lines, the
// platform and cache volume for a Nix system, the project's overlays as
// paths inside the project directory, and the error of a failed command.
//
// The module writes the work directory that flake.Prepare would write (the
// flake, request.json and the project's overlay directories) at WorkDir,
// then runs, with Driver(…).Command:
//
//	nix flake lock --override-input nixpkgs path:/nixlayer/nixpkgs -- path:/nixlayer/work   (with another nixpkgs)
//	nix eval --json … -- path:/nixlayer/work#nixlayer.x86_64-linux
//	nix build --json --no-link … -- path:/nixlayer/work#legacyPackages.x86_64-linux.<attr> …
//	nix path-info --json --recursive -- <out paths>
//
// and decodes their output with flake.DecodePlan, nix.DecodeBuild,
// flake.BuiltRoots, nix.DecodePathInfo and nix.NewClosure, as the CLI does.
package container

import (
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// WorkDir is where the work directory goes in the container.
const WorkDir = "/nixlayer/work"

// NixpkgsDir is where a nixpkgs that replaces the pinned one is mounted.
const NixpkgsDir = "/nixlayer/nixpkgs"

// Ref is the flake reference of the work directory.
const Ref = "path:" + WorkDir

// BuildArgs are the flags of the build besides flake.FlakeArgs: the build
// logs go to standard error, where the engine shows them.
var BuildArgs = []string{"--print-build-logs"}

// Driver is the driver whose command lines run in the container: nix from
// the image's PATH and its default store.
var Driver = &nix.Driver{}

// OverrideNixpkgs are the arguments of "nix flake lock" that make the work
// directory use the nixpkgs at NixpkgsDir instead of the pinned one.
var OverrideNixpkgs = flake.LockArgs(Ref, []string{"--override-input", "nixpkgs", "path:" + NixpkgsDir})

// platforms maps the Nix systems that the flake supports to OCI platforms.
var platforms = map[string]string{
	"x86_64-linux":  "linux/amd64",
	"aarch64-linux": "linux/arm64",
}

// Platform returns the OCI platform of the container that builds for the
// Nix system, such as "linux/amd64" for "x86_64-linux". The error for
// another system wraps sets.ErrBadInput.
func Platform(system string) (string, error) {
	if p, ok := platforms[system]; ok {
		return p, nil
	}
	return "", fmt.Errorf("unsupported system %q; nixlayer builds for aarch64-linux and x86_64-linux: %w", system, sets.ErrBadInput)
}

// CacheKey returns the name of the cache volume that holds /nix for image
// and system. The volume starts as a copy of the image's /nix, and the
// image's nix lives there, so each image and platform needs its own.
func CacheKey(image, system string) string {
	tag := image[strings.LastIndex(image, "/")+1:]
	if name, digest, ok := strings.Cut(tag, "@sha256:"); ok {
		tag = name + "-" + digest[:min(12, len(digest))]
	}
	tag = strings.Map(func(r rune) rune {
		if r == ':' || r == '@' {
			return '-'
		}
		return r
	}, tag)
	return "nixlayer-" + tag + "-" + system
}
