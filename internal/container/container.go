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

// Driver returns the driver whose command lines run in the container: nix
// from the image's PATH and its default store. With overrideNixpkgs, every
// evaluation and build uses the nixpkgs at NixpkgsDir instead of the
// pinned one.
func Driver(overrideNixpkgs bool) *nix.Driver {
	d := &nix.Driver{}
	if overrideNixpkgs {
		d.FlakeArgs = []string{"--override-input", "nixpkgs", "path:" + NixpkgsDir}
	}
	return d
}

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

// CommandError is the error of a nix command that failed in the container:
// command is its subcommand, such as "eval", and argv the whole command
// line. It keeps the end of stderr as a nix.Driver does, so that its Error
// is one line that ends with the summary of Nix's message.
func CommandError(command string, argv []string, exitCode int, stderr string) *nix.CommandError {
	const keep = 4 << 10 // as much as nix.Driver keeps
	if len(stderr) > keep {
		stderr = stderr[len(stderr)-keep:]
		if i := strings.IndexByte(stderr, '\n'); i >= 0 {
			stderr = stderr[i+1:]
		}
		stderr = strings.ToValidUTF8(stderr, "\uFFFD")
	}
	e := &nix.CommandError{Command: command, ExitCode: exitCode, Stderr: stderr}
	if len(argv) > 0 {
		e.Args = argv[1:]
	}
	return e
}
