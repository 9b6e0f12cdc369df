package main

import (
	"context"

	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/devcontainer"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/selection"
)

// DevcontainerJSON returns the devcontainer.json of a project that works in
// a devcontainer of these sets: the image, its user (whose uid the
// devcontainer CLI sets to yours), and the VS Code extensions and
// settings of the sets, with the project's. The image's
// devcontainer.metadata label brings the rest. It runs no container.
func (m *Nixlayer) DevcontainerJSON(
	ctx context.Context,
	// The sets of the devcontainer, separated by commas.
	//
	// +default="base,vscodeCompat,devTools,nixTools"
	sets string,
	// More nixpkgs attributes of the devcontainer, such as "htop".
	//
	// +optional
	packages []string,
	// The devcontainer image, as you publish it.
	//
	// +default="nixlayer/devcontainer:latest"
	image string,
) (*dagger.File, error) {
	proj, err := m.project(ctx)
	if err != nil {
		return nil, err
	}
	sel, _, err := selection.Select(sets, packages, proj, platform.HostSystem())
	if err != nil {
		return nil, err
	}
	data, err := devcontainer.File(image, devcontainer.RemoteUser, devcontainer.Customizations(sel.Extensions, sel.Settings))
	if err != nil {
		return nil, err
	}
	return dag.Directory().WithNewFile("devcontainer.json", string(data)).File("devcontainer.json"), nil
}
