package container

import (
	"fmt"
	"strings"
)

// Plan is one container the module runs: everything the module's root
// needs to make it with the engine, and everything a test needs to run it
// without one.
type Plan struct {
	// What says what the container is for, such as "building the runtime
	// image for linux/amd64", for its errors.
	What string `json:"what,omitempty"`
	// Image is the image to start from, pinned by digest.
	Image string `json:"image,omitempty"`
	// Platform is the container's OCI platform, such as "linux/arm64", or
	// "" for the engine's own.
	Platform string `json:"platform,omitempty"`
	// Mounts are mounted in order.
	Mounts []Mount `json:"mounts,omitempty"`
	// Env is the exec's environment, added to the image's.
	Env []Env `json:"env,omitempty"`
	// Secrets are environment variables whose values are secrets, which
	// the engine keeps out of its cache and logs.
	Secrets []Secret `json:"secrets,omitempty"`
	// Dirs are empty directories to make in the container's own
	// filesystem, outside every mount, before the exec.
	Dirs []string `json:"dirs,omitempty"`
	// Workdir is the exec's working directory, or "" for the image's.
	Workdir string `json:"workdir,omitempty"`
	// Argv is the exec.
	Argv []string `json:"argv,omitempty"`
	// Fresh says that the exec talks to the network, so the engine must
	// run it every time: the module adds FreshEnv with the current time,
	// which no cached exec has.
	Fresh bool `json:"fresh,omitempty"`
	// Output is what the module reads back after the exec.
	Output Output `json:"output,omitzero"`
}

// FreshEnv is the variable that makes a Fresh exec new to the engine's
// cache.
const FreshEnv = "NIXLAYER_RUN_AT"

// Env is an environment variable of a container.
type Env struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Secret is an environment variable whose value is one of the call's
// secrets.
type Secret struct {
	Name  string `json:"name"`
	Input Input  `json:"input"`
}

// MountKind is what a Mount mounts.
type MountKind string

const (
	// CacheMount mounts a cache volume, which outlives the call.
	CacheMount MountKind = "cache"
	// DirMount mounts one of the call's directories.
	DirMount MountKind = "directory"
	// FileMount mounts one of the call's files.
	FileMount MountKind = "file"
)

// Sharing is how concurrent execs share a cache volume.
type Sharing string

const (
	// Shared volumes are used by any number of execs at once.
	Shared Sharing = "shared"
	// Locked volumes are used by one exec at a time; the others wait.
	Locked Sharing = "locked"
)

// Mount is one mount of a Plan.
type Mount struct {
	Kind MountKind `json:"kind,omitempty"`
	// Path is where it is mounted.
	Path string `json:"path,omitempty"`
	// Volume, Sharing and Seed are a cache mount's: the volume's name, how
	// execs share it, and the directory of the plan's image that fills the
	// volume when it is created ("" for none).
	Volume  string  `json:"volume,omitempty"`
	Sharing Sharing `json:"sharing,omitempty"`
	Seed    string  `json:"seed,omitempty"`
	// Input is a directory or file mount's content.
	Input Input `json:"input,omitzero"`
}

// InputKind names one of the call's inputs.
type InputKind string

const (
	// InputModuleSource is the module's own source directory, filtered by the
	// Input's Include and Exclude patterns.
	InputModuleSource InputKind = "module-source"
	// InputProject is a view of the user's project directory: the Input's Files
	// and Dirs (paths in the project directory), without the names that
	// Exclude matches.
	InputProject InputKind = "project"
	// InputNixpkgs is the nixpkgs directory that replaces the pinned one.
	InputNixpkgs InputKind = "nixpkgs"
	// InputHelper is the helper binary that the GoBuild plan makes.
	InputHelper InputKind = "helper"
	// InputLayout is the OCI layout that the build plan of Input.Index wrote.
	InputLayout InputKind = "layout"
	// InputRegistryPassword is the registry password or token secret.
	InputRegistryPassword InputKind = "registry-password"
	// InputScanner is the scanner binary that the GoBuild plan of
	// ScannerProgram makes.
	InputScanner InputKind = "scanner"
	// InputImage is the image archive to scan.
	InputImage InputKind = "image"
	// InputDatabase is the OSV database directory of a scan.
	InputDatabase InputKind = "database"
	// InputIgnore is the ignore file of a scan.
	InputIgnore InputKind = "ignore"
	// InputFlake is the flake directory an update moves the pin of: the
	// nix/ directory of the source it is given.
	InputFlake InputKind = "flake"
	// InputGitHubToken is the GitHub token secret of an update.
	InputGitHubToken InputKind = "github-token"
	// InputBaseImage is the archive of a build's base image.
	InputBaseImage InputKind = "base-image"
)

// Input is a directory, file or secret that the call provides.
type Input struct {
	Kind    InputKind `json:"kind,omitempty"`
	Include []string  `json:"include,omitempty"`
	Exclude []string  `json:"exclude,omitempty"`
	Files   []string  `json:"files,omitempty"`
	Dirs    []string  `json:"dirs,omitempty"`
	Index   int       `json:"index,omitempty"`
}

// OutputKind is what the module reads back from a container.
type OutputKind string

const (
	// FileOutput is a file of the container's filesystem.
	FileOutput OutputKind = "file"
	// DirOutput is a directory of the container's filesystem.
	DirOutput OutputKind = "directory"
	// StdoutOutput is the exec's standard output.
	StdoutOutput OutputKind = "stdout"
)

// Output is what the module reads back after the exec.
type Output struct {
	Kind OutputKind `json:"kind,omitempty"`
	// Path is a FileOutput's or DirOutput's path, outside every mount.
	Path string `json:"path,omitempty"`
}

// Check reports a plan that the engine would run wrongly: an output
// inside a mount (the engine does not keep a mount's content in the
// container), or in no directory the plan makes or the exec writes, or a
// relative path. Tests of every plan call it.
func (p Plan) Check() error {
	paths := append([]string{p.Output.Path, p.Workdir}, p.Dirs...)
	for _, m := range p.Mounts {
		paths = append(paths, m.Path)
	}
	for _, x := range paths {
		if x != "" && !strings.HasPrefix(x, "/") {
			return fmt.Errorf("plan %q: %q is not an absolute path", p.What, x)
		}
	}
	if p.Image == "" || len(p.Argv) == 0 {
		return fmt.Errorf("plan %q: no image or no command", p.What)
	}
	if p.Output.Kind == StdoutOutput || p.Output.Kind == "" {
		return nil
	}
	for _, m := range p.Mounts {
		if under(p.Output.Path, m.Path) {
			return fmt.Errorf("plan %q: its output %s is in the mount %s, which the container does not keep", p.What, p.Output.Path, m.Path)
		}
	}
	return nil
}

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}
