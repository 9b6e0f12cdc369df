// Package nix holds nixlayer's flake: the pinned nixpkgs (flake.lock), the
// overlays applied to it, and plan.nix, which describes a list of attributes
// for the image builders and Scan.
//
// nixlayer never evaluates this directory in place. It copies Files into a
// work directory, adds request.json and the project's overlays, and runs Nix
// on the copy (see internal/flake).
package nix

import "embed"

// Files is the flake, embedded so that the nixlayer binary needs nothing
// beside it.
//
//go:embed flake.nix flake.lock plan.nix lookup.nix registration.nix shell.nix platforms.json overlays patches
var Files embed.FS

// Platforms is platforms.json: the platforms nixlayer builds for, with
// their Nix system, Go architecture, OCI platform fields and the FHS
// loader and library directory of each. The flake reads its systems from
// it, and internal/platform decodes it for the Go side, so the list is
// written once.
//
//go:embed platforms.json
var Platforms []byte
