// Myapp builds the images of myapp with nixlayer.
package main

import (
	"context"

	"example.com/myapp/internal/dagger"
)

// Myapp builds the images of myapp.
type Myapp struct{}

// Devcontainer builds the development container of myapp: the sets base
// and python, with the sets, packages and overlays of the repository's
// nixlayer.yaml.
func (m *Myapp) Devcontainer(
	// The repository, which holds nixlayer.yaml.
	//
	// +defaultPath="/"
	source *dagger.Directory,
	// More nixpkgs attributes for this build only, such as "htop".
	//
	// +optional
	packages []string,
) *dagger.Container {
	return dag.Nixlayer(dagger.NixlayerOpts{Project: source}).
		Devcontainer(dagger.NixlayerDevcontainerOpts{Sets: "base,python", Packages: packages})
}

// Image builds the runtime image of myapp: the sets base and python, and
// the application in /app.
func (m *Myapp) Image(
	// The repository, which holds nixlayer.yaml and the application.
	//
	// +defaultPath="/"
	source *dagger.Directory,
) *dagger.Container {
	return dag.Nixlayer(dagger.NixlayerOpts{Project: source}).
		Runtime(dagger.NixlayerRuntimeOpts{Sets: "base,python"}).
		WithDirectory("/app", source.Directory("app")).
		WithEntrypoint([]string{"python3", "/app/main.py"})
}

// Publish pushes the runtime image of the sets base and python for
// linux/amd64 and linux/arm64, and returns the references it pushed.
func (m *Myapp) Publish(
	ctx context.Context,
	// The repository, which holds nixlayer.yaml.
	//
	// +defaultPath="/"
	source *dagger.Directory,
	// Where to push, such as ghcr.io/acme/myapp/runtime:2026-11-22.
	address string,
	// The registry user.
	username string,
	// The registry password or token, such as env:GITHUB_TOKEN.
	password *dagger.Secret,
) ([]string, error) {
	return dag.Nixlayer(dagger.NixlayerOpts{Project: source}).
		Publish(ctx, dagger.NixlayerKindRuntime, address, dagger.NixlayerPublishOpts{
			Sets:     "base,python",
			Tags:     []string{"latest"},
			Username: username,
			Password: password,
		})
}
