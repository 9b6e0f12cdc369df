package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
)

// inputs are the directories, files and secrets of one call, which the
// plans name by container.Input.
type inputs struct {
	m        *Nixlayer
	helper   *dagger.File
	layouts  []*dagger.Directory
	password *dagger.Secret
	scanner  *dagger.File
	image    *dagger.File
	database *dagger.Directory
	ignore   *dagger.File
	// flake and githubToken are an update's.
	flake       *dagger.Directory
	githubToken *dagger.Secret
	base        *dagger.File
}

// dir returns the directory that in names.
func (in inputs) dir(i container.Input) (*dagger.Directory, error) {
	switch i.Kind {
	case container.InputModuleSource:
		return dag.Directory().WithDirectory(".", dag.CurrentModule().Source(), dagger.DirectoryWithDirectoryOpts{Include: i.Include, Exclude: i.Exclude}), nil
	case container.InputProject:
		if in.m.Project == nil {
			break
		}
		view := dag.Directory()
		for _, f := range i.Files {
			view = view.WithFile(f, in.m.Project.File(f))
		}
		for _, d := range i.Dirs {
			view = view.WithDirectory(d, in.m.Project.Directory(d), dagger.DirectoryWithDirectoryOpts{Exclude: i.Exclude})
		}
		return view, nil
	case container.InputNixpkgs:
		if in.m.Nixpkgs != nil {
			return in.m.Nixpkgs, nil
		}
	case container.InputLayout:
		if i.Index < len(in.layouts) {
			return in.layouts[i.Index], nil
		}
	case container.InputDatabase:
		if in.database != nil {
			return in.database, nil
		}
	case container.InputFlake:
		if in.flake != nil {
			return in.flake, nil
		}
	}
	return nil, fmt.Errorf("running a container: the call has no %s input", i.Kind)
}

// file returns the file that in names.
func (in inputs) file(i container.Input) (*dagger.File, error) {
	f := map[container.InputKind]*dagger.File{
		container.InputHelper: in.helper, container.InputScanner: in.scanner,
		container.InputImage: in.image, container.InputIgnore: in.ignore,
		container.InputBaseImage: in.base,
	}[i.Kind]
	if f == nil {
		return nil, fmt.Errorf("running a container: the call has no %s file", i.Kind)
	}
	return f, nil
}

// secret returns the secret that in names.
func (in inputs) secret(i container.Input) (*dagger.Secret, error) {
	if i.Kind == container.InputRegistryPassword && in.password != nil {
		return in.password, nil
	}
	if i.Kind == container.InputGitHubToken && in.githubToken != nil {
		return in.githubToken, nil
	}
	return nil, fmt.Errorf("running a container: the call has no %s secret", i.Kind)
}

var sharing = map[container.Sharing]dagger.CacheSharingMode{
	container.Shared: dagger.CacheSharingModeShared,
	container.Locked: dagger.CacheSharingModeLocked,
}

// container turns p into the engine's container, after its exec. It is a
// translation, with no decision of its own: the plans are built and tested
// in internal/container.
func (in inputs) container(p container.Plan) (*dagger.Container, error) {
	base := dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.Platform)}).From(p.Image)
	ctr := base
	for _, mt := range p.Mounts {
		switch mt.Kind {
		case container.CacheMount:
			opts := dagger.ContainerWithMountedCacheOpts{Sharing: sharing[mt.Sharing]}
			if mt.Seed != "" {
				opts.Source = base.Directory(mt.Seed)
			}
			ctr = ctr.WithMountedCache(mt.Path, dag.CacheVolume(mt.Volume), opts)
		case container.DirMount:
			d, err := in.dir(mt.Input)
			if err != nil {
				return nil, err
			}
			ctr = ctr.WithMountedDirectory(mt.Path, d)
		case container.FileMount:
			f, err := in.file(mt.Input)
			if err != nil {
				return nil, err
			}
			ctr = ctr.WithMountedFile(mt.Path, f)
		}
	}
	for _, e := range p.Env {
		ctr = ctr.WithEnvVariable(e.Name, e.Value)
	}
	for _, s := range p.Secrets {
		secret, err := in.secret(s.Input)
		if err != nil {
			return nil, err
		}
		ctr = ctr.WithSecretVariable(s.Name, secret)
	}
	for _, d := range p.Dirs {
		ctr = ctr.WithDirectory(d, dag.Directory())
	}
	if p.Workdir != "" {
		ctr = ctr.WithWorkdir(p.Workdir)
	}
	if p.Fresh {
		ctr = ctr.WithEnvVariable(container.FreshEnv, time.Now().UTC().Format(time.RFC3339Nano))
	}
	return ctr.WithExec(p.Argv), nil
}

// run runs p and waits for its exec, so that a failure is reported with
// what p was for, and with the helper's one line.
func (in inputs) run(ctx context.Context, p container.Plan) (*dagger.Container, error) {
	ctr, err := in.container(p)
	if err != nil {
		return nil, err
	}
	ctr, err = ctr.Sync(ctx)
	if err != nil {
		if e, ok := errors.AsType[*dagger.ExecError](err); ok {
			return nil, container.NewHelperError(p.What, e.ExitCode, e.Stderr)
		}
		return nil, fmt.Errorf("%s: %w", p.What, err)
	}
	return ctr, nil
}

// outputFile runs p and returns its output file.
func (in inputs) outputFile(ctx context.Context, p container.Plan) (*dagger.File, error) {
	ctr, err := in.run(ctx, p)
	if err != nil {
		return nil, err
	}
	return ctr.File(p.Output.Path), nil
}

// outputDir runs p and returns its output directory.
func (in inputs) outputDir(ctx context.Context, p container.Plan) (*dagger.Directory, error) {
	ctr, err := in.run(ctx, p)
	if err != nil {
		return nil, err
	}
	return ctr.Directory(p.Output.Path), nil
}

// stdout runs p and returns its standard output.
func (in inputs) stdout(ctx context.Context, p container.Plan) (string, error) {
	ctr, err := in.run(ctx, p)
	if err != nil {
		return "", err
	}
	return ctr.Stdout(ctx)
}
