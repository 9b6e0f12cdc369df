// Nixlayer builds devcontainer and runtime OCI images from Nix package sets.
//
// A package set is a named group of nixpkgs packages, such as "base" (bash,
// coreutils, CA certificates and the like) or "python". nixlayer composes
// the sets you name, builds them from a single pinned nixpkgs and lays out
// their closure as image layers. Because every project builds from the same
// pinned nixpkgs, the same package gives the same store path, and so the
// same layer, which registries and hosts store once.
//
// The builds run in the official Nix image, with the Nix store in a cache
// volume; nothing is needed on the host. A project can define its own sets,
// add packages to every build and patch nixpkgs with overlays, in a
// nixlayer.yaml file: pass the directory that holds it with --project.
package main

import (
	"path/filepath"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/refs"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Nixlayer builds devcontainer and runtime images from Nix package sets.
type Nixlayer struct {
	// The Nix image, pinned by digest.
	//
	// +private
	NixImage string
	// The Go image that builds the helper.
	//
	// +private
	GoImage string
	// The project directory, or nil.
	//
	// +private
	Project *dagger.Directory
	// The project file, relative to Project.
	//
	// +private
	ProjectFile string
	// A nixpkgs that replaces the pinned one, or nil.
	//
	// +private
	Nixpkgs *dagger.Directory
}

// New returns nixlayer for a project. It checks the images and the project
// file's path before any function runs.
func New(
	// The Nix image that builds run in, pinned by digest, as
	// name:tag@sha256:digest. Its /nix seeds the cache volume that holds the
	// Nix store; the volume's name has the digest in it, so another image
	// starts another store. The default is the official image of Nix 2.35.2.
	//
	// +default="docker.io/nixos/nix:2.35.2@sha256:7a007c766426c1877758ddc5cb87a965ac131fc78c582ce0083d922d51ae945c"
	nixImage string,
	// The Go image that builds nixlayer's helper, the program that runs each
	// build in the Nix image, pinned by digest. It runs on the engine's own
	// platform and cross-compiles the helper for the others.
	//
	// +default="docker.io/library/golang:1.26-bookworm@sha256:551752d3ad9de9923190bf5280500617ed8fee287ffb4b0220e770ef89346258"
	goImage string,
	// The directory of your project, which holds the project file. The
	// project file can define sets, add packages to every build and name
	// Nix overlays, which must be inside this directory. Without a project,
	// only the built-in sets are available.
	//
	// +optional
	project *dagger.Directory,
	// The project file, as a path inside the project directory.
	//
	// +default="nixlayer.yaml"
	projectFile string,
	// A nixpkgs to build from instead of the one that nixlayer's flake.lock
	// pins: a mirror for air-gapped builds, a branch under test, or a
	// stand-in such as nixlayer's test universe. It must be a flake
	// directory, with a flake.nix that has nixpkgs' interface.
	//
	// +optional
	nixpkgs *dagger.Directory,
) (*Nixlayer, error) {
	if err := container.CheckNixImage(nixImage); err != nil {
		return nil, err
	}
	for _, image := range []struct{ flag, ref string }{{"--nix-image", nixImage}, {"--go-image", goImage}} {
		if err := refs.Image(image.flag, image.ref); err != nil {
			return nil, err
		}
	}
	if !filepath.IsLocal(projectFile) {
		return nil, usererr.Errorf("--project-file %q: give a path inside the project directory, such as %s", projectFile, sets.DefaultProjectFile)
	}
	return &Nixlayer{
		NixImage:    nixImage,
		GoImage:     goImage,
		Project:     project,
		ProjectFile: projectFile,
		Nixpkgs:     nixpkgs,
	}, nil
}
