package container

import "github.com/nixlayer/nixlayer/internal/platform"

// Paths in the Go container that builds the helper.
const (
	// SourceDir is where the module's source goes.
	SourceDir = "/src"
	// HelperOut is the helper the build writes.
	HelperOut = "/out/nixlayer"
	// GoModCache and GoBuildCache are Go's module and build caches, cache
	// volumes.
	GoModCache   = "/go/pkg/mod"
	GoBuildCache = "/root/.cache/go-build"
)

// HelperSource is what the helper's build takes from the module's source:
// the Go module and the packages it builds, with the flake the helper
// embeds, but no tests and no test data, so that changing them does not
// rebuild it.
var HelperSource = Input{
	Kind:    InputModuleSource,
	Include: []string{"go.mod", "go.sum", "cmd/**", "internal/**", "nix/**"},
	Exclude: []string{"**/*_test.go", "**/testdata"},
}

// GoEnv is the environment of the helper's build for a GOARCH: a static
// binary (no cgo) for Linux, with the image's own Go and the caches at
// GoModCache and GoBuildCache.
func GoEnv(goarch string) []Env {
	return []Env{
		{"CGO_ENABLED", "0"},
		{"GOOS", "linux"},
		{"GOARCH", goarch},
		{"GOTOOLCHAIN", "local"},
		{"GOFLAGS", "-mod=readonly"},
		{"GOMODCACHE", GoModCache},
		{"GOCACHE", GoBuildCache},
	}
}

// GoBuildArgs is the helper's build, run in SourceDir. -trimpath makes the
// binary the same wherever the source is, so the engine can reuse the
// builds that run it.
func GoBuildArgs() []string {
	return []string{"go", "build", "-trimpath", "-ldflags=-s -w", "-o", HelperOut, "./cmd/nixlayer"}
}

// GoBuild is the plan that builds the helper for p, in the Go image on the
// engine's own platform: a static binary, cross-compiled, so that no build
// runs under emulation.
func GoBuild(goImage string, p platform.Platform) Plan {
	return Plan{
		What:  "building nixlayer's helper for " + p.OCI,
		Image: goImage,
		Mounts: []Mount{
			// Shared: Go locks its module cache and writes its build cache
			// atomically, so concurrent builds can share both.
			{Kind: CacheMount, Path: GoModCache, Volume: GoModVolume, Sharing: Shared},
			{Kind: CacheMount, Path: GoBuildCache, Volume: GoBuildVolume, Sharing: Shared},
			{Kind: DirMount, Path: SourceDir, Input: HelperSource},
		},
		Env:     GoEnv(p.GOARCH),
		Workdir: SourceDir,
		Argv:    GoBuildArgs(),
		Output:  Output{Kind: FileOutput, Path: HelperOut},
	}
}
