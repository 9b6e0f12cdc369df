package main

import (
	"context"
	"errors"
	"strings"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/refs"
)

// Publish builds an image for each platform and pushes them to a registry
// as one multi-platform image, under its address and each extra tag. It
// returns each reference it pushed, with the digest: the same digest as
// nixlayer build --platforms gives for the same inputs, since the helper
// pushes its own index, byte for byte. Blobs the registry already has,
// such as the store layers of an earlier push, are not uploaded again.
//
// It is never cached: a push must reach the registry every time, since
// the registry may have lost the image since the last one, and a cached
// result would report a push that did not happen.
//
// +cache="never"
func (m *Nixlayer) Publish(
	ctx context.Context,
	// The kind of image: devcontainer or runtime.
	kind Kind,
	// Where to push the image, with its tag, such as
	// ghcr.io/acme/app/runtime:2026-11-22.
	address string,
	// The sets to install, separated by commas, in any order. The default
	// is the kind's: base,vscodeCompat,devTools,nixTools for a
	// devcontainer, base for a runtime image.
	//
	// +optional
	sets string,
	// More nixpkgs attributes to install, such as "htop" or
	// "python312Packages.requests".
	//
	// +optional
	packages []string,
	// More tags to push the same image under, in the address's repository,
	// such as "latest".
	//
	// +optional
	tags []string,
	// The platforms of the image. Those other than the engine's own run
	// Nix under emulation, which is slow.
	//
	// +default=["linux/amd64","linux/arm64"]
	platforms []dagger.Platform,
	// The user name to log in to the registry with, such as your GitHub
	// user for ghcr.io.
	//
	// +optional
	username string,
	// The password or token to log in to the registry with, such as
	// env:GITHUB_TOKEN.
	//
	// +optional
	password *dagger.Secret,
	// An image to put the layers on, such as a certified distribution's:
	// its layers come first, then nixlayer's store layers (the same as on
	// no base), then the customisation layer, which adds the user and
	// nixlayer's files to the base's. It must be for the platform built.
	//
	// +optional
	baseImage *dagger.Container,
	// The registry reference of the image to put the layers on, such as
	// registry.example/ubuntu-fips:22.04, which the engine pulls for each
	// platform; give this or baseImage, not both.
	//
	// +optional
	baseImageRef string,
) ([]string, error) {
	if _, err := refs.Publish(address, tags); err != nil {
		return nil, err
	}
	if err := refs.FromContainer(address); err != nil {
		return nil, err
	}
	if (username == "") != (password == nil) {
		return nil, errors.New("publishing: give both --username and --password, or neither")
	}
	_, layouts, engine, err := m.layouts(ctx, imageArgs{kind, sets, packages, baseImage, baseImageRef}, platforms)
	if err != nil {
		return nil, err
	}
	inv := container.Publish{Platform: engine, Layouts: len(layouts), Address: address, Tags: tags, Username: username}
	plan, in, err := m.helperPlan(ctx, inv, "publishing "+address, inputs{layouts: layouts, password: password})
	if err != nil {
		return nil, err
	}
	out, err := in.stdout(ctx, plan)
	if err != nil {
		return nil, err
	}
	return strings.Fields(out), nil
}
