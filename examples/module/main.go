// Myapp checks what the images of myapp hold, with nixlayer.
package main

import (
	"context"

	"example.com/myapp/internal/dagger"
)

// Myapp checks what the images of myapp hold.
type Myapp struct{}

// Closure builds the sets base and python, with the sets, packages and
// overlays of the repository's nixlayer.yaml, and reports every store path
// of the image with its size.
func (m *Myapp) Closure(
	ctx context.Context,
	// The repository, which holds nixlayer.yaml.
	//
	// +defaultPath="/"
	source *dagger.Directory,
	// More nixpkgs attributes for this build only, such as "htop".
	//
	// +optional
	packages []string,
) (string, error) {
	return dag.Nixlayer(dagger.NixlayerOpts{Project: source}).
		Closure(ctx, "base,python", dagger.NixlayerClosureOpts{Packages: packages})
}

// Pin reports the nixpkgs commit that nixlayer builds from.
func (m *Myapp) Pin(ctx context.Context) (string, error) {
	return dag.Nixlayer().Pin(ctx)
}
