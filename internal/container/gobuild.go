package container

import (
	"path"

	"github.com/nixlayer/nixlayer/internal/platform"
)

// Paths in the Go container that builds the helper.
const (
	// SourceDir is where the module's source goes.
	SourceDir = "/src"
	// BinDir is where the build writes its program.
	BinDir = "/out"
	// GoModCache and GoBuildCache are Go's module and build caches, cache
	// volumes.
	GoModCache   = "/go/pkg/mod"
	GoBuildCache = "/root/.cache/go-build"
)

// Program is a program the module builds from its own source.
type Program struct {
	// Name is the binary's name, at /out/Name in the Go container.
	Name string
	// Module is the directory of its Go module in the source, and Package
	// the package, from there.
	Module, Package string
	// Source is what the build takes from the module's source: the Go
	// modules and the packages it builds, with the flake the helper
	// embeds, but no tests and no test data, so that changing them does
	// not rebuild it.
	Source Input
}

// The programs: the helper (cmd/nixlayer), and the scanner, which is a Go
// module of its own (scan/) that uses the root module's packages.
var (
	HelperProgram = Program{
		Name: "nixlayer", Module: ".", Package: "./cmd/nixlayer",
		Source: Input{
			Kind:    InputModuleSource,
			Include: []string{"go.mod", "go.sum", "cmd/**", "internal/**", "nix/**"},
			Exclude: []string{"**/*_test.go", "**/testdata"},
		},
	}
	ScannerProgram = Program{
		Name: "nixlayer-scan", Module: "scan", Package: "./cmd/nixlayer-scan",
		Source: Input{
			Kind:    InputModuleSource,
			Include: []string{"go.mod", "go.sum", "internal/**", "nix/**", "scan/go.mod", "scan/go.sum", "scan/cmd/**", "scan/internal/**"},
			Exclude: []string{"**/*_test.go", "**/testdata"},
		},
	}
)

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

// GoBuildArgs is prog's build, run in its module's directory. -trimpath
// makes the binary the same wherever the source is, so the engine can
// reuse the builds that run it.
func GoBuildArgs(prog Program) []string {
	return []string{"go", "build", "-trimpath", "-ldflags=-s -w", "-o", path.Join(BinDir, prog.Name), prog.Package}
}

// GoBuild is the plan that builds prog for p, in the Go image on the
// engine's own platform: a static binary, cross-compiled, so that no build
// runs under emulation.
func GoBuild(goImage string, p platform.Platform, prog Program) Plan {
	return Plan{
		What:  "building nixlayer's " + prog.Name + " for " + p.OCI,
		Image: goImage,
		Mounts: []Mount{
			// Shared: Go locks its module cache and writes its build cache
			// atomically, so concurrent builds can share both.
			{Kind: CacheMount, Path: GoModCache, Volume: GoModVolume, Sharing: Shared},
			{Kind: CacheMount, Path: GoBuildCache, Volume: GoBuildVolume, Sharing: Shared},
			{Kind: DirMount, Path: SourceDir, Input: prog.Source},
		},
		Env:     GoEnv(p.GOARCH),
		Workdir: path.Join(SourceDir, prog.Module),
		Argv:    GoBuildArgs(prog),
		Output:  Output{Kind: FileOutput, Path: path.Join(BinDir, prog.Name)},
	}
}
