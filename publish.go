package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
)

// Publish builds an image for each platform and pushes them to a registry
// as one multi-platform image, under its address and each extra tag. It
// returns each reference it pushed, with the image's digest. Layers that
// the registry already has, such as the store paths of an earlier push,
// are not uploaded again: the engine asks the registry before it sends a
// blob.
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
) ([]string, error) {
	k, err := container.ParseKind(string(kind))
	if err != nil {
		return nil, err
	}
	refs, err := container.PublishRefs(address, tags)
	if err != nil {
		return nil, err
	}
	if (username == "") != (password == nil) {
		return nil, errors.New("publishing: give both --username and --password, or neither")
	}
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = string(p)
	}
	targets, err := container.Targets(names)
	if err != nil {
		return nil, err
	}
	b, err := m.plan(ctx, k, sets, packages, targets[0].System)
	if err != nil {
		return nil, err
	}

	// Build every platform at once.
	variants := make([]*dagger.Container, len(targets))
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { variants[i], errs[i] = m.build(ctx, b, t) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}

	publisher := dag.Container()
	if password != nil {
		publisher = publisher.WithRegistryAuth(address, username, password)
	}
	// One reference after another: each push after the first finds every
	// blob in the registry and sends the manifests alone.
	var pushed []string
	for _, ref := range refs {
		digest, err := publisher.Publish(ctx, ref, dagger.ContainerPublishOpts{PlatformVariants: variants})
		if err != nil {
			return nil, fmt.Errorf("publishing %s: %w", ref, err)
		}
		pushed = append(pushed, digest)
	}
	return pushed, nil
}
