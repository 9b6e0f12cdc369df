package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Kind is a kind of image that nixlayer builds.
type Kind string

// The values are literals, not internal/kind's constants: the engine
// deletes internal/ before it reads the module's types, and a value it
// cannot evaluate becomes "unknown" (TestDefaults keeps them equal to
// internal/kind's, TestEnumLiterals keeps them literals).
const (
	// A development container, to work in with VS Code or another
	// devcontainer tool. Its default sets are
	// base,vscodeCompat,devTools,nixTools.
	KindDevcontainer Kind = "devcontainer"
	// An image to run an application in. Its default set is base.
	KindRuntime Kind = "runtime"
)

// Devcontainer builds a development container image from package sets,
// for the engine's platform or another. The project's packages and
// overlays apply, as to every build. Whatever the sets, it has bash,
// coreutils, sed, sudo, Nix, direnv and what an editor needs to attach
// (vscodeCompat's attributes: the FHS loader, glibc, the C++ runtime, tar,
// gzip, ps and getent). Its layers are nixlayer's, with the
// digests the command line gives, but the engine rewrites the config
// (creation time and history) when it imports the image, so the image's
// own digest is the engine's: use archive or layout for nixlayer's exact
// image.
func (m *Nixlayer) Devcontainer(
	ctx context.Context,
	// The sets to install, separated by commas, in any order. The sets
	// function lists them.
	//
	// +default="base,vscodeCompat,devTools,nixTools"
	sets string,
	// More nixpkgs attributes to install, such as "htop" or
	// "python312Packages.requests".
	//
	// +optional
	packages []string,
	// The platform to build for: linux/amd64 or linux/arm64. The default
	// is the engine's own; another runs Nix under emulation, which is slow.
	//
	// +optional
	platform dagger.Platform,
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
) (*dagger.Container, error) {
	return m.container(ctx, imageArgs{KindDevcontainer, sets, packages, baseImage, baseImageRef}, platform)
}

// Runtime builds an image to run an application in from package sets, for
// the engine's platform or another. The project's packages and overlays
// apply, as to every build. As with devcontainer, its layers are
// nixlayer's but its config digest is the engine's.
func (m *Nixlayer) Runtime(
	ctx context.Context,
	// The sets to install, separated by commas, in any order. The sets
	// function lists them.
	//
	// +default="base"
	sets string,
	// More nixpkgs attributes to install, such as "htop" or
	// "python312Packages.requests".
	//
	// +optional
	packages []string,
	// The platform to build for: linux/amd64 or linux/arm64. The default
	// is the engine's own; another runs Nix under emulation, which is slow.
	//
	// +optional
	platform dagger.Platform,
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
) (*dagger.Container, error) {
	return m.container(ctx, imageArgs{KindRuntime, sets, packages, baseImage, baseImageRef}, platform)
}

// Archive builds an image and returns nixlayer's own archive of it, byte
// for byte what nixlayer build -o writes for the same inputs: one tar file
// that docker load and OCI tools read, with the command line's image
// digest.
func (m *Nixlayer) Archive(
	ctx context.Context,
	// The kind of image: devcontainer or runtime.
	kind Kind,
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
	// The platform to build for: linux/amd64 or linux/arm64. The default
	// is the engine's own; another runs Nix under emulation, which is slow.
	//
	// +optional
	platform dagger.Platform,
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
) (*dagger.File, error) {
	f, _, err := m.archive(ctx, imageArgs{kind, sets, packages, baseImage, baseImageRef}, platform)
	return f, err
}

// Layout builds an image for each platform and returns them as one OCI
// layout directory, with one image index over the platforms: what
// nixlayer build --platforms --oci-layout writes for the same inputs,
// with the same digests.
func (m *Nixlayer) Layout(
	ctx context.Context,
	// The kind of image: devcontainer or runtime.
	kind Kind,
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
	// The platforms of the image. Those other than the engine's own run
	// Nix under emulation, which is slow.
	//
	// +default=["linux/amd64","linux/arm64"]
	platforms []dagger.Platform,
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
) (*dagger.Directory, error) {
	b, layouts, engine, err := m.layouts(ctx, imageArgs{kind, sets, packages, baseImage, baseImageRef}, platforms)
	if err != nil {
		return nil, err
	}
	inv := container.Index{Kind: b.inv.Kind, Platform: engine, Layouts: len(layouts)}
	plan, in, err := m.helperPlan(ctx, inv, "making the image index", inputs{layouts: layouts})
	if err != nil {
		return nil, err
	}
	return in.outputDir(ctx, plan)
}

// container builds the image that a asks for, for platform, and imports
// it. Bad input fails with the command line's error before any container
// runs.
func (m *Nixlayer) container(ctx context.Context, a imageArgs, platform dagger.Platform) (*dagger.Container, error) {
	if a.sets == "" {
		k := kind.Kind(a.kind)
		return nil, usererr.Errorf("--sets is empty; omit it for the %s image's default sets (%s), or list sets, such as --sets base,python", k, k.DefaultSets())
	}
	f, p, err := m.archive(ctx, a, platform)
	if err != nil {
		return nil, err
	}
	return dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.OCI)}).Import(f), nil
}

// imageArgs are the arguments of the functions that build an image: what
// to build, and what on.
type imageArgs struct {
	kind         Kind
	sets         string
	packages     []string
	baseImage    *dagger.Container
	baseImageRef string
}

// request checks a for an image for p (see builds and onBase) and returns
// the build, before any container runs.
func (m *Nixlayer) request(ctx context.Context, a imageArgs, p platform.Platform) (*build, error) {
	b, err := m.builds(ctx, a.kind, a.sets, a.packages, p)
	if err != nil {
		return nil, err
	}
	if b.base, err = onBase(a.baseImage, a.baseImageRef); err != nil {
		return nil, err
	}
	return b, nil
}

// archive builds the image that a asks for, for the platform that pl
// names (the engine's when it is empty), and returns its archive and the
// platform.
func (m *Nixlayer) archive(ctx context.Context, a imageArgs, pl dagger.Platform) (*dagger.File, platform.Platform, error) {
	p, err := target(ctx, pl)
	if err != nil {
		return nil, platform.Platform{}, err
	}
	b, err := m.request(ctx, a, p)
	if err != nil {
		return nil, platform.Platform{}, err
	}
	f, err := b.archive(ctx, p)
	return f, p, err
}

// layouts builds the image that a asks for, for each of the platforms
// that pls name, at once, and returns the build, the images' OCI layouts
// and the engine's platform, where the helper that gathers them (into an
// index, or a push) runs.
func (m *Nixlayer) layouts(ctx context.Context, a imageArgs, pls []dagger.Platform) (*build, []*dagger.Directory, platform.Platform, error) {
	ps, err := targets(pls)
	if err != nil {
		return nil, nil, platform.Platform{}, err
	}
	b, err := m.request(ctx, a, ps[0])
	if err != nil {
		return nil, nil, platform.Platform{}, err
	}
	engine, err := target(ctx, "")
	if err != nil {
		return nil, nil, platform.Platform{}, err
	}
	layouts, err := b.layouts(ctx, ps)
	return b, layouts, engine, err
}

// build is a checked request for images of one kind, for any platform.
type build struct {
	m   *Nixlayer
	inv container.Build
	// base is the image to put the layers on, if any.
	base baseImage
}

// builds checks the kind, the set spec and the packages (with the
// project) for an image, and returns the build. An empty spec is the
// kind's default sets.
func (m *Nixlayer) builds(ctx context.Context, k Kind, spec string, packages []string, p platform.Platform) (*build, error) {
	kd, err := kind.Parse(string(k))
	if err != nil {
		return nil, err
	}
	if spec == "" {
		spec = kd.DefaultSets()
	}
	sel, req, err := m.selection(ctx, spec, packages, p)
	if err != nil {
		return nil, err
	}
	if err := kd.Check(req.Attrs); err != nil {
		return nil, err
	}
	return &build{m: m, inv: container.Build{Kind: kd, Selection: sel}}, nil
}

// archive builds the image for p and returns its archive.
func (b *build) archive(ctx context.Context, p platform.Platform) (*dagger.File, error) {
	inv := b.inv
	inv.Platform = p
	base, err := b.onBase(ctx, &inv)
	if err != nil {
		return nil, err
	}
	plan, in, err := b.m.helperPlan(ctx, inv, fmt.Sprintf("building the %s image for %s", inv.Kind, p.OCI), inputs{base: base})
	if err != nil {
		return nil, err
	}
	return in.outputFile(ctx, plan)
}

// layouts builds the image for each platform at once, in a Nix container
// of its own, and returns their OCI layouts.
func (b *build) layouts(ctx context.Context, ps []platform.Platform) ([]*dagger.Directory, error) {
	out := make([]*dagger.Directory, len(ps))
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Go(func() {
			inv := b.inv
			inv.Platform, inv.Layout = p, true
			base, err := b.onBase(ctx, &inv)
			if err != nil {
				errs[i] = err
				return
			}
			plan, in, err := b.m.helperPlan(ctx, inv, fmt.Sprintf("building the %s image for %s", inv.Kind, p.OCI), inputs{base: base})
			if err == nil {
				out[i], err = in.outputDir(ctx, plan)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// onBase sets inv's base and returns the base's archive for inv's
// platform, or nil without a base.
func (b *build) onBase(ctx context.Context, inv *container.Build) (*dagger.File, error) {
	inv.Base, inv.BaseName = b.base.given(), b.base.ref
	return b.base.archive(ctx, inv.Platform)
}

// targets returns the platforms that ps name, in nixlayer's order.
func targets(ps []dagger.Platform) ([]platform.Platform, error) {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = string(p)
	}
	return platform.ParseList(names)
}
