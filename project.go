package main

import (
	"context"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/pipeline"
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

// selection composes the set spec and the extra packages with the project,
// for system, and returns the selection and the request that builds it. The
// request's overlays are paths inside the project directory, each checked
// to be a file there. The errors are the command line's.
func (m *Nixlayer) selection(ctx context.Context, spec string, packages []string, system string) (sets.Selection, flake.Request, error) {
	proj, err := m.project(ctx)
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	sel, req, err := pipeline.Select(spec, packages, proj, system)
	if err != nil || proj == nil {
		return sel, req, err
	}
	if req.Overlays, err = container.Overlays(m.ProjectFile, proj.Overlays); err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	for i, p := range req.Overlays {
		ok, err := m.Project.Exists(ctx, p, dagger.DirectoryExistsOpts{ExpectedType: dagger.ExistsTypeRegularType})
		if err != nil {
			return sets.Selection{}, flake.Request{}, fmt.Errorf("checking overlay %s: %w", p, err)
		}
		if !ok {
			return sets.Selection{}, flake.Request{}, container.MissingOverlay(m.ProjectFile, proj.Overlays[i], p)
		}
	}
	return sel, req, nil
}
