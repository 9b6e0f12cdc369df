// Package container holds the plans of the Dagger module, which need no
// engine: the images it runs, where things go in its containers, their
// environment, the cache volumes, the command lines of the go build and of
// the helper, the platforms it builds for, the addresses it publishes to,
// and the errors of a helper that failed.
//
// The module builds cmd/nixlayer (the helper) in the Go image, mounts it in
// the Nix image with /nix in a cache volume, and runs it there:
//
//	go build -trimpath -ldflags=-s -w -o /out/nixlayer ./cmd/nixlayer
//	/nixlayer/bin/nixlayer build runtime --sets=base,python --system=x86_64-linux --cache=/nixlayer/cache -o /nixlayer/out/image.tar
//
// then imports /nixlayer/out/image.tar as the image. Inventory alone runs
// Nix itself, in the same container, with Driver(…).Command:
//
//	nix flake lock --override-input nixpkgs path:/nixlayer/nixpkgs -- path:/nixlayer/work   (with another nixpkgs)
//	nix eval --json … -- path:/nixlayer/work#nixlayer.x86_64-linux
package container

import (
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// DefaultNixImage is the image the helper and Nix run in: the official Nix
// image, Nix 2.28.5. The same tag and digest are pinned in public
// Dockerfiles (found by searching public GitHub code for
// "nixos/nix:2.28.5@sha256:"), but the digest is unverified: it has not
// been checked against Docker Hub, which cannot be reached from where this
// was written, nor whether it names the multi-platform index (which
// linux/arm64 builds need) or the linux/amd64 manifest alone.
const DefaultNixImage = "docker.io/nixos/nix:2.28.5@sha256:e2bff159b88c242722022a273d3832a4392f01dba35b796204d852b89042526e"

// DefaultGoImage is the image that builds the helper: Go 1.26.5 on Debian
// 12. The digest is the multi-platform index (linux/amd64, linux/arm64 and
// others), as docker-library/repo-info records it in
// repos/golang/remote/1.26-bookworm.md at commit
// 21d295b53669c3a5505d79a58e9ed6cc31663124 (images built on 14 July 2026).
const DefaultGoImage = "docker.io/library/golang:1.26-bookworm@sha256:551752d3ad9de9923190bf5280500617ed8fee287ffb4b0220e770ef89346258"

// Paths in the Nix container.
const (
	// NixDir is Nix's store and database, a cache volume.
	NixDir = "/nix"
	// Home is the home directory of root, who runs the helper.
	Home = "/root"
	// FetcherCacheDir is Nix's fetcher cache (downloaded flake inputs), a
	// cache volume.
	FetcherCacheDir = Home + "/.cache/nix"
	// HelperPath is where the helper is mounted.
	HelperPath = "/nixlayer/bin/nixlayer"
	// ProjectDir is where the project file and its overlays are mounted,
	// and where the helper runs.
	ProjectDir = "/nixlayer/project"
	// NixpkgsDir is where a nixpkgs that replaces the pinned one is mounted.
	NixpkgsDir = "/nixlayer/nixpkgs"
	// BlobCacheDir is the helper's layer-blob cache (--cache), a cache
	// volume.
	BlobCacheDir = "/nixlayer/cache"
	// ImagePath is the image archive the helper writes. It is outside every
	// cache volume, so that it is part of the container the module reads it
	// from.
	ImagePath = "/nixlayer/out/image.tar"
	// WorkDir is where Inventory writes the work directory that
	// flake.Prepare would write: the flake, request.json and the project's
	// overlay directories.
	WorkDir = "/nixlayer/work"
)

// Ref is the flake reference of Inventory's work directory.
const Ref = "path:" + WorkDir

// BuildArgs are the flags of a nix build besides flake.FlakeArgs: the build
// logs go to standard error, where the engine shows them.
var BuildArgs = []string{"--print-build-logs"}

// Driver is the driver whose command lines Inventory runs in the container:
// nix from the image's PATH and its default store.
var Driver = &nix.Driver{}

// OverrideNixpkgs are the arguments of "nix flake lock" that make the work
// directory use the nixpkgs at NixpkgsDir instead of the pinned one.
var OverrideNixpkgs = flake.LockArgs(Ref, []string{"--override-input", "nixpkgs", "path:" + NixpkgsDir})

// Env is an environment variable of a container.
type Env struct {
	Name, Value string
}

// NixEnv is the environment the helper and Nix run with.
func NixEnv() []Env {
	return []Env{
		// Flakes without a command-line flag. The sandbox is off, as the
		// image has it: Nix's sandbox needs namespaces that an unprivileged
		// exec cannot make.
		{"NIX_CONFIG", "experimental-features = nix-command flakes\nsandbox = false\n"},
		// Where Nix finds its fetcher cache, FetcherCacheDir.
		{"HOME", Home},
		// Plain messages from Nix, for one-line errors.
		{"NO_COLOR", "1"},
	}
}
