package container

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/sets"
)

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
var HelperSource = struct{ Include, Exclude []string }{
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

// The kinds of image, as "nixlayer build" names them.
const (
	KindDevcontainer = string(rootfs.Devcontainer)
	KindRuntime      = string(rootfs.Runtime)
)

// ParseKind returns the kind of image that s names, in any case, such as
// "runtime" for "RUNTIME".
func ParseKind(s string) (string, error) {
	k := strings.ToLower(s)
	if !slices.Contains(rootfs.Kinds, rootfs.Kind(k)) {
		return "", fmt.Errorf("unknown kind of image %q; nixlayer builds %s and %s: %w", s, KindDevcontainer, KindRuntime, sets.ErrBadInput)
	}
	return k, nil
}

// DefaultSets returns the sets of a kind of image when none are given, such
// as "base" for "runtime".
func DefaultSets(kind string) string {
	return rootfs.Kind(kind).DefaultSets()
}

// The helper's commands.
const (
	CommandBuild   = "build"
	CommandClosure = "closure"
)

// Invocation is one run of the helper in the Nix container.
type Invocation struct {
	// Command is CommandBuild or CommandClosure.
	Command string
	// Kind is the kind of image to build, for CommandBuild.
	Kind string
	// Sets are the sets, composed already (in catalog order, without
	// repeats), so that the same sets in another order make the same run.
	Sets []string
	// Packages are the extra nixpkgs attributes.
	Packages []string
	// ProjectFile is the project file as a path in the project directory,
	// or "" without a project. With a project, the helper runs in
	// ProjectDir.
	ProjectFile string
	// Nixpkgs says that a nixpkgs to build from is mounted at NixpkgsDir.
	Nixpkgs bool
	// System is the Nix system to build for.
	System string
	// JSON asks CommandClosure for its JSON report.
	JSON bool
}

// Args is the command line of the run. A build writes the image archive
// to ImagePath, with the layer-blob cache at BlobCacheDir.
func (inv Invocation) Args() []string {
	args := []string{HelperPath, inv.Command}
	if inv.Command == CommandBuild {
		args = append(args, inv.Kind)
	}
	// --flag=value, so that no value is taken for a flag.
	args = append(args, "--sets="+strings.Join(inv.Sets, ","))
	for _, p := range inv.Packages {
		args = append(args, "--packages="+p)
	}
	if inv.ProjectFile != "" {
		args = append(args, "--project="+ProjectFileArg(inv.ProjectFile))
	}
	if inv.Nixpkgs {
		// The helper makes a directory a path: flake reference, so Nix
		// takes all of it, as it is.
		args = append(args, "--nixpkgs="+NixpkgsDir)
	}
	args = append(args, "--system="+inv.System)
	switch {
	case inv.Command == CommandBuild && !inv.Nixpkgs:
		// The pinned nixpkgs is in the public cache: its narinfo files give
		// the catalog's closures without building or downloading it.
		args = append(args, "--catalog-store="+CatalogStore, "--cache="+BlobCacheDir, "-o", ImagePath)
	case inv.Command == CommandBuild:
		args = append(args, "--cache="+BlobCacheDir, "-o", ImagePath)
	case inv.JSON:
		args = append(args, "--json")
	}
	return args
}

// CatalogStore is where builds from the pinned nixpkgs read the catalog's
// closures. Another nixpkgs (a mirror, a branch under test) is not in it,
// so those builds build the catalog in the container's store instead.
const CatalogStore = "https://cache.nixos.org"

// ProjectFileArg is the helper's --project for the project file at file in
// the project directory. The helper runs in ProjectDir, so the path is
// relative, and its messages name the file as the module's do, such as
// "nixlayer.yaml:3: …".
func ProjectFileArg(file string) string {
	return strings.TrimPrefix(path.Clean("/"+file), "/")
}

// ExitBadInput is the helper's exit status for bad input.
const ExitBadInput = 2

// HelperError is a run of the helper that failed.
type HelperError struct {
	// What is what the run was for, such as "building the runtime image
	// for linux/arm64".
	What string
	// ExitCode is the helper's exit status.
	ExitCode int
	// Msg is the helper's one-line error, without its "nixlayer: ".
	Msg string
}

// NewHelperError returns the error of a run of the helper that exited with
// exitCode and wrote stderr. The helper's last line is its one-line error,
// after "nixlayer: ", below Nix's progress.
func NewHelperError(what string, exitCode int, stderr string) *HelperError {
	e := &HelperError{What: what, ExitCode: exitCode}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if msg, ok := strings.CutPrefix(last, "nixlayer: "); ok {
		e.Msg = msg
	} else if last != "" {
		e.Msg = last
	} else {
		e.Msg = fmt.Sprintf("the helper exited with status %d", exitCode)
	}
	return e
}

// Error is the helper's message for bad input, as the command line prints
// it; else the message after what the run was for.
func (e *HelperError) Error() string {
	if e.ExitCode == ExitBadInput {
		return e.Msg
	}
	return e.What + ": " + e.Msg
}

// Unwrap returns sets.ErrBadInput for bad input.
func (e *HelperError) Unwrap() error {
	if e.ExitCode == ExitBadInput {
		return sets.ErrBadInput
	}
	return nil
}
