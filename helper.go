package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
)

// target returns the target of platform, or of the engine's own platform
// when platform is empty.
func target(ctx context.Context, platform dagger.Platform) (container.Target, error) {
	if platform == "" {
		var err error
		if platform, err = dag.DefaultPlatform(ctx); err != nil {
			return container.Target{}, fmt.Errorf("reading the engine's platform: %w", err)
		}
	}
	return container.TargetOf(string(platform))
}

// helper builds cmd/nixlayer from the module's source for t, in the Go
// image on the engine's own platform: a static binary, cross-compiled, so
// no build runs under emulation.
func (m *Nixlayer) helper(t container.Target) *dagger.File {
	ctr := dag.Container().From(m.GoImage).
		// SHARED: Go locks its module cache and writes its build cache
		// atomically, so concurrent builds can share both.
		WithMountedCache(container.GoModCache, dag.CacheVolume(container.GoModVolume), dagger.ContainerWithMountedCacheOpts{Sharing: dagger.CacheSharingModeShared}).
		WithMountedCache(container.GoBuildCache, dag.CacheVolume(container.GoBuildVolume), dagger.ContainerWithMountedCacheOpts{Sharing: dagger.CacheSharingModeShared})
	ctr = withEnv(ctr, container.GoEnv(t.GOARCH)).
		WithDirectory(container.SourceDir, dag.CurrentModule().Source(), dagger.ContainerWithDirectoryOpts{
			Include: container.HelperSource.Include,
			Exclude: container.HelperSource.Exclude,
		}).
		WithWorkdir(container.SourceDir).
		WithExec(container.GoBuildArgs())
	return ctr.File(container.HelperOut)
}

// nixContainer returns the Nix container for t, with its cache volumes
// and environment.
func (m *Nixlayer) nixContainer(t container.Target) (*dagger.Container, error) {
	store, fetcher, err := container.NixVolumes(m.NixImage, t.System)
	if err != nil {
		return nil, err
	}
	image := dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(t.Platform)}).From(m.NixImage)
	ctr := image.
		// LOCKED: Nix without a daemon does not guard its store against
		// another nix writing it at the same time, so builds for the same
		// image and system take turns. The fetcher cache goes with the
		// store, under the same lock.
		WithMountedCache(container.NixDir, dag.CacheVolume(store), dagger.ContainerWithMountedCacheOpts{
			Source:  image.Directory(container.NixDir),
			Sharing: dagger.CacheSharingModeLocked,
		}).
		WithMountedCache(container.FetcherCacheDir, dag.CacheVolume(fetcher), dagger.ContainerWithMountedCacheOpts{Sharing: dagger.CacheSharingModeLocked}).
		// SHARED: the helper writes each blob to a temporary file and
		// renames it into place, so concurrent builds can share the cache.
		WithMountedCache(container.BlobCacheDir, dag.CacheVolume(container.BlobCacheVolume), dagger.ContainerWithMountedCacheOpts{Sharing: dagger.CacheSharingModeShared})
	return withEnv(ctr, container.NixEnv()), nil
}

// runHelper runs the helper for inv on t, with the project file and the
// overlay directories of overlays (paths in the project directory), and
// returns the container after it. what says what the run is for, for its
// error.
func (m *Nixlayer) runHelper(ctx context.Context, t container.Target, inv container.Invocation, overlays []string, what string) (*dagger.Container, error) {
	ctr, err := m.nixContainer(t)
	if err != nil {
		return nil, err
	}
	ctr = ctr.WithMountedFile(container.HelperPath, m.helper(t))
	if m.Project != nil {
		inv.ProjectFile = m.ProjectFile
		ctr = ctr.
			WithMountedDirectory(container.ProjectDir, m.projectView(overlays)).
			WithWorkdir(container.ProjectDir)
	}
	if m.Nixpkgs != nil {
		inv.Nixpkgs = true
		ctr = ctr.WithMountedDirectory(container.NixpkgsDir, m.Nixpkgs)
	}
	ctr, err = ctr.WithExec(inv.Args()).Sync(ctx)
	if err != nil {
		if e, ok := errors.AsType[*dagger.ExecError](err); ok {
			return nil, container.NewHelperError(what, e.ExitCode, e.Stderr)
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return ctr, nil
}

// projectView is what the helper needs of the project directory: the
// project file, and the directories of its overlays, without dot files.
// Other changes to the project do not change the build.
func (m *Nixlayer) projectView(overlays []string) *dagger.Directory {
	view := dag.Directory().WithFile(m.ProjectFile, m.Project.File(m.ProjectFile))
	for _, d := range container.OverlayDirs(overlays) {
		view = view.WithDirectory(d, m.Project.Directory(d), dagger.DirectoryWithDirectoryOpts{Exclude: []string{".*", "**/.*"}})
	}
	return view
}

func withEnv(ctr *dagger.Container, env []container.Env) *dagger.Container {
	for _, e := range env {
		ctr = ctr.WithEnvVariable(e.Name, e.Value)
	}
	return ctr
}
