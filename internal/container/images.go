package container

// DefaultNixImage is the image the helper and Nix run in: the official
// image of Nix 2.35.2, a multi-platform index (linux/amd64 and
// linux/arm64) published by Nix's release process. The digest is pinned,
// identically, in ten independent public files found by searching public
// GitHub code for "nixos/nix:2.35.2@sha256:7a007c76": Dockerfiles (one of
// them FROM --platform=$BUILDPLATFORM) and CI runner configurations that
// use it on both amd64 and arm64 runners. It could not be pulled from
// where this was written. Its nix.conf has build-users-group = nixbld and
// sandbox = false, it runs as root and it does not enable flakes; NixEnv
// sets what the helper needs on top.
const DefaultNixImage = "docker.io/nixos/nix:2.35.2@sha256:7a007c766426c1877758ddc5cb87a965ac131fc78c582ce0083d922d51ae945c"

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
	// InDir holds the OCI layouts that a publish or an index reads, one
	// directory per platform, InDir/0, InDir/1, ….
	InDir = "/nixlayer/in"
	// OutDir is where the helper writes what the module reads back. It is
	// outside every cache volume, so that it is part of the container, and
	// the plan makes it: the Nix image has no such directory.
	OutDir = "/nixlayer/out"
	// BaseImagePath is the archive of the base image a build puts its
	// layers on, which the engine exported from a container.
	BaseImagePath = InDir + "/base.tar"
	// ArchivePath is the image archive a build writes.
	ArchivePath = OutDir + "/image.tar"
	// LayoutPath is the OCI layout a build or an index writes.
	LayoutPath = OutDir + "/layout"
	// FlakeDir is where an update gets the flake directory (the source's
	// nix/) to update.
	FlakeDir = "/nixlayer/flake"
	// ChangesDir is where an update writes the new flake.nix and
	// flake.lock, ReportFile and JSONReportFile: what to export over the
	// source's nix/.
	ChangesDir = OutDir + "/changes"
)

// The report files of an update, in ChangesDir.
const (
	ReportFile     = "CHANGES.md"
	JSONReportFile = "changes.json"
)

// HelperEnv is set in every run of the helper. It tells the helper that
// its command line is the module's, not the user's: a bad flag or output
// path is then the module's failure, which exits 1 and is reported with
// what the module was doing, not the user's bad input (exit 2).
const HelperEnv = "NIXLAYER_HELPER"

// NixConfig is NIX_CONFIG in the Nix container, on top of the image's
// nix.conf: flakes without a command-line flag; no sandbox, as the image
// has it, since the sandbox needs namespaces that an exec cannot make; and
// no build users, since the helper runs as root in a container of its own
// and the image's nixbld users would only be needed for the sandbox.
const NixConfig = "experimental-features = nix-command flakes\nsandbox = false\nbuild-users-group =\n"

// NixEnv is the environment the helper and Nix run with.
func NixEnv() []Env {
	return []Env{
		{"NIX_CONFIG", NixConfig},
		// Where Nix finds its fetcher cache, FetcherCacheDir.
		{"HOME", Home},
		// Plain messages from Nix, for one-line errors.
		{"NO_COLOR", "1"},
		{HelperEnv, "1"},
	}
}
