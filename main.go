// Nixlayer builds the contents of OCI images from Nix package sets.
//
// A package set is a named group of nixpkgs packages, such as "base" (bash,
// coreutils, CA certificates and the like) or "python". nixlayer composes
// the sets you name into one list of packages, evaluates and builds them
// from a single pinned nixpkgs, and reports what they bring into an image:
// every store path of their closure, with its size. Because every project
// builds from the same pinned nixpkgs, the same package gives the same
// store path, and so the same image layer.
//
// A project can define its own sets, add packages to every build and patch
// nixpkgs with overlays, in a nixlayer.yaml file. Pass the directory that
// holds it with --project.
package main

import (
	"github.com/nixlayer/nixlayer/internal/dagger"
)

// Nixlayer builds Nix package sets, the contents of OCI images, with Nix in a
// container.
type Nixlayer struct {
	// nixlayer's flake: the pinned nixpkgs, its overlays and the plan.
	//
	// +private
	Flake *dagger.Directory
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
	// The Nix system to build for.
	//
	// +private
	System string
}

// New returns nixlayer for a project.
func New(
	// nixlayer's own flake: the flake.nix and flake.lock that pin nixpkgs,
	// with nixlayer's overlays and its plan. The default is the nix
	// directory of this module; give another only to try changes to it.
	//
	// +defaultPath="/nix"
	// +ignore=["*.go"]
	flake *dagger.Directory,
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
	// pins, such as a local checkout with a fix that is not released yet.
	//
	// +optional
	nixpkgs *dagger.Directory,
	// The Nix system to build for: x86_64-linux or aarch64-linux. Building
	// for a system other than the engine's own runs Nix under emulation,
	// which is slow.
	//
	// +default="x86_64-linux"
	system string,
) *Nixlayer {
	return &Nixlayer{
		Flake:       flake,
		Project:     project,
		ProjectFile: projectFile,
		Nixpkgs:     nixpkgs,
		System:      system,
	}
}
