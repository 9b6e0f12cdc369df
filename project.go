package main

import (
	"context"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// project reads and decodes the project file, or returns nil when there
// is no project directory.
func (m *Nixlayer) project(ctx context.Context) (*sets.Project, error) {
	if m.Project == nil {
		return nil, nil
	}
	ok, err := m.Project.Exists(ctx, m.ProjectFile, dagger.DirectoryExistsOpts{ExpectedType: dagger.ExistsTypeRegularType})
	if err != nil {
		return nil, fmt.Errorf("loading project file %s: %w", m.ProjectFile, err)
	}
	if !ok {
		return nil, fmt.Errorf("loading project file: %s is not a file in the project directory", m.ProjectFile)
	}
	data, err := m.Project.File(m.ProjectFile).Contents(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading project file %s: %w", m.ProjectFile, err)
	}
	return sets.ParseProject(m.ProjectFile, []byte(data))
}

// target returns the platform that p names, or the engine's own when p is
// empty.
func target(ctx context.Context, p dagger.Platform) (platform.Platform, error) {
	if p == "" {
		var err error
		if p, err = dag.DefaultPlatform(ctx); err != nil {
			return platform.Platform{}, fmt.Errorf("reading the engine's platform: %w", err)
		}
	}
	return platform.Parse(string(p))
}

// selection checks the set spec and the extra packages with the project,
// for p, and returns what the helper builds of them, before any container
// runs. The errors are the command line's.
func (m *Nixlayer) selection(ctx context.Context, spec string, packages []string, p platform.Platform) (container.Selection, flake.Request, error) {
	proj, err := m.project(ctx)
	if err != nil {
		return container.Selection{}, flake.Request{}, err
	}
	sel, req, err := selection.Select(spec, packages, proj, p.System)
	if err != nil {
		return container.Selection{}, flake.Request{}, err
	}
	s := container.Selection{Sets: sel.Sets, Packages: packages, Platform: p, Nixpkgs: m.Nixpkgs != nil}
	if proj == nil {
		return s, req, nil
	}
	s.ProjectFile = m.ProjectFile
	if s.Overlays, err = container.Overlays(m.ProjectFile, proj.Overlays); err != nil {
		return container.Selection{}, flake.Request{}, err
	}
	for i, o := range s.Overlays {
		ok, err := m.Project.Exists(ctx, o, dagger.DirectoryExistsOpts{ExpectedType: dagger.ExistsTypeRegularType})
		if err != nil {
			return container.Selection{}, flake.Request{}, fmt.Errorf("checking overlay %s: %w", o, err)
		}
		if !ok {
			return container.Selection{}, flake.Request{}, container.MissingOverlay(m.ProjectFile, proj.Overlays[i], o)
		}
	}
	return s, req, nil
}

// helperPlan returns the plan that runs inv through the helper, which it
// builds first for inv's platform, and in with the helper. what says what
// the run is for.
func (m *Nixlayer) helperPlan(ctx context.Context, inv container.Invocation, what string, in inputs) (container.Plan, inputs, error) {
	p, err := container.Helper(m.NixImage, inv, what)
	if err != nil {
		return container.Plan{}, inputs{}, err
	}
	in.m = m
	if in.helper, err = in.outputFile(ctx, container.GoBuild(m.GoImage, inv.RunsOn(), container.HelperProgram)); err != nil {
		return container.Plan{}, inputs{}, err
	}
	return p, in, nil
}
