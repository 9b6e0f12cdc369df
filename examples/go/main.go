// Myapp builds, scans and publishes the image of a Go application with
// nixlayer: the application, built as a static binary, on top of
// nixlayer's runtime image.
package main

import (
	"context"
	"fmt"
	"strings"

	"example.com/myapp/internal/dagger"
)

// goImage is the image that builds the application.
const goImage = "docker.io/library/golang:1.26-bookworm@sha256:551752d3ad9de9923190bf5280500617ed8fee287ffb4b0220e770ef89346258"

// Myapp builds the images of the application in app/.
type Myapp struct{}

// Build compiles the application for platform, as a static binary: the
// runtime image has no dynamic loader outside the Nix store.
func (m *Myapp) Build(
	// The application's source.
	//
	// +defaultPath="app"
	source *dagger.Directory,
	// The platform to build for, such as linux/arm64. The default is the
	// engine's own.
	//
	// +optional
	platform dagger.Platform,
) *dagger.File {
	build := dag.Container().
		From(goImage).
		WithDirectory("/src", source).
		WithWorkdir("/src").
		WithEnvVariable("CGO_ENABLED", "0")
	if platform != "" {
		goos, goarch := splitPlatform(platform)
		build = build.WithEnvVariable("GOOS", goos).WithEnvVariable("GOARCH", goarch)
	}
	return build.
		WithExec([]string{"go", "build", "-trimpath", "-o", "/out/hello", "."}).
		File("/out/hello")
}

// Image is nixlayer's runtime image of the set base for platform, with the
// application in /app as its entrypoint. The layers below the
// application's are nixlayer's, shared with every other image built from
// the same pin.
func (m *Myapp) Image(
	// The application's source.
	//
	// +defaultPath="app"
	source *dagger.Directory,
	// The platform of the image, such as linux/arm64. The default is the
	// engine's own.
	//
	// +optional
	platform dagger.Platform,
) *dagger.Container {
	return dag.Nixlayer().
		Runtime(dagger.NixlayerRuntimeOpts{Sets: "base", Platform: platform}).
		WithFile("/app/hello", m.Build(source, platform)).
		WithEntrypoint([]string{"/app/hello"})
}

// Scan scans the image for platform for known vulnerabilities and returns
// the markdown summary. It fails when a finding is of HIGH severity or
// above, nixlayer's default threshold.
func (m *Myapp) Scan(
	ctx context.Context,
	// The application's source.
	//
	// +defaultPath="app"
	source *dagger.Directory,
	// The platform of the image to scan, such as linux/arm64. The default
	// is the engine's own.
	//
	// +optional
	platform dagger.Platform,
) (string, error) {
	report := dag.Nixlayer().Scan(dagger.NixlayerScanOpts{Container: m.Image(source, platform)})
	summary, err := report.Summary(ctx)
	if err != nil {
		return "", err
	}
	return summary, report.Assert(ctx)
}

// Publish pushes the image for linux/amd64 and linux/arm64 as one
// multi-platform image, under its address and each extra tag, and returns
// the references it pushed.
func (m *Myapp) Publish(
	ctx context.Context,
	// The application's source.
	//
	// +defaultPath="app"
	source *dagger.Directory,
	// Where to push, such as ghcr.io/acme/myapp:2026-12-01.
	address string,
	// More tags to push the same image under, such as latest.
	//
	// +optional
	tags []string,
	// The registry user.
	username string,
	// The registry password or token, such as env:GITHUB_TOKEN.
	password *dagger.Secret,
) ([]string, error) {
	var variants []*dagger.Container
	for _, p := range []dagger.Platform{"linux/amd64", "linux/arm64"} {
		variants = append(variants, m.Image(source, p))
	}
	repo := address
	if i := strings.LastIndex(address, ":"); i > strings.LastIndex(address, "/") {
		repo = address[:i]
	}
	refs := []string{address}
	for _, t := range tags {
		refs = append(refs, repo+":"+t)
	}
	publisher := dag.Container().WithRegistryAuth(address, username, password)
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

// splitPlatform returns the GOOS and GOARCH of an OCI platform such as
// linux/arm64/v8.
func splitPlatform(p dagger.Platform) (goos, goarch string) {
	parts := strings.Split(string(p), "/")
	if len(parts) < 2 {
		return parts[0], ""
	}
	return parts[0], parts[1]
}
