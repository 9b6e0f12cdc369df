package main

import (
	"context"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// baseImage is the image an image's layers go on: a container, or a
// registry reference that the engine pulls for each platform.
type baseImage struct {
	ctr *dagger.Container
	ref string
}

// onBase returns the base image that the arguments give, if any: one of
// them at most.
func onBase(ctr *dagger.Container, ref string) (baseImage, error) {
	if ctr != nil && ref != "" {
		return baseImage{}, usererr.Errorf("give --base-image or --base-image-ref, not both")
	}
	return baseImage{ctr: ctr, ref: ref}, nil
}

// given reports whether there is a base image.
func (b baseImage) given() bool { return b.ctr != nil || b.ref != "" }

// archive returns the base's image for p as an archive, which the
// helper's container gets as a file: the engine exports it, so the helper
// needs no network and no registry login, and the build is cached as any
// other. A container must be of p. It returns nil without a base.
func (b baseImage) archive(ctx context.Context, p platform.Platform) (*dagger.File, error) {
	switch {
	case b.ctr != nil:
		got, err := b.ctr.Platform(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the base image's platform: %w", err)
		}
		if q, err := platform.Parse(string(got)); err != nil || q.OCI != p.OCI {
			return nil, usererr.Errorf("--base-image is a container for %s, not %s; for several platforms, give --base-image-ref", got, p.OCI)
		}
		return b.ctr.AsTarball(), nil
	case b.ref != "":
		return dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.OCI)}).From(b.ref).AsTarball(), nil
	}
	return nil, nil
}
