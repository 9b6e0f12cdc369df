package container

import (
	"path"
	"strconv"
	"strings"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// Invocation is one run of the helper in the Nix container: a Build, a
// Closure, an Inventory, an Index, a Publish or an Update. Each is one
// command with its own options, which it writes on the command line by
// the names the CLI defines its flags with (internal/clispec).
type Invocation interface {
	// Args is the command line of the run, the helper's path first.
	Args() []string
	// RunsOn is the platform the helper runs on: the one it builds for,
	// or the engine's.
	RunsOn() platform.Platform
	// plan gives p, which runs the command, what the command needs: its
	// mounts, environment, secrets and output.
	plan(p *Plan) error
}

// Selection is what a build, a closure or an inventory is of: the sets
// and packages, with the project, from the pinned nixpkgs or another,
// for a platform.
type Selection struct {
	// Sets are the sets, composed already (in catalog order, without
	// repeats), so that the same sets in another order make the same run.
	Sets []string
	// Packages are the extra nixpkgs attributes.
	Packages []string
	// ProjectFile is the project file as a path in the project directory,
	// or "" without a project. With a project, the helper runs in
	// ProjectDir.
	ProjectFile string
	// Overlays are the project's overlay files, as paths in the project
	// directory (see Overlays); the plan mounts their directories.
	Overlays []string
	// Nixpkgs says that a nixpkgs to build from is mounted at NixpkgsDir.
	Nixpkgs bool
	// Platform is the platform to build for.
	Platform platform.Platform
}

// Build builds an image (nixlayer build).
type Build struct {
	Kind kind.Kind
	Selection
	// Layout asks for an OCI layout at LayoutPath instead of an archive
	// at ArchivePath.
	Layout bool
	// Base says that the image goes on the base image whose archive is
	// mounted at BaseImagePath. BaseName, when set, names it for the
	// image's labels, such as the reference the engine pulled.
	Base     bool
	BaseName string
}

// Closure builds sets and prints their closure (nixlayer closure).
type Closure struct {
	Selection
	// JSON asks for the JSON report.
	JSON bool
}

// Inventory evaluates sets and prints what nixpkgs says of each package
// (nixlayer inventory).
type Inventory struct {
	Selection
}

// Index merges the OCI layouts of several platforms into one image index
// (nixlayer index).
type Index struct {
	// Kind names the index's image, its default tag.
	Kind kind.Kind
	// Platform is the engine's.
	Platform platform.Platform
	// Layouts is how many OCI layouts it reads, from InDir/0, InDir/1, ….
	Layouts int
}

// Publish pushes OCI layouts to a registry (nixlayer publish).
type Publish struct {
	// Platform is the engine's.
	Platform platform.Platform
	// Layouts is how many OCI layouts it reads, as Index's.
	Layouts int
	// Address and Tags are where it pushes: the reference, with its tag,
	// and more tags in its repository.
	Address string
	Tags    []string
	// Username, when set, logs in to the registry, with the call's
	// password secret.
	Username string
}

// Update moves the nixpkgs pin of the flake at FlakeDir and reports what
// the move changes (nixlayer update-nixpkgs), writing everything into
// ChangesDir, with the catalogs' closures from the public cache, as builds
// from the pin read them.
type Update struct {
	// Platform is the engine's.
	Platform platform.Platform
	// BumpRelease and To are --bump-release and --to.
	BumpRelease bool
	To          string
	// GitHubToken says that the call gives a GitHub token secret, for the
	// API's rate limit.
	GitHubToken bool
	// Scan says that the update scans both pins for vulnerabilities,
	// with the scanner mounted at ScannerPath, and ScanDatabase that the
	// call gives the OSV database as a directory (otherwise the databases
	// are downloaded into OSVVolume). FailIfNewVulns is the update's gate,
	// counting from FailOn (Unknown for the update's default).
	Scan, ScanDatabase, FailIfNewVulns bool
	FailOn                             scanner.Level
}

// Registry credentials of a Publish, as environment variables: the module
// sets the password from a secret, never in the command line.
const (
	RegistryUserEnv     = "NIXLAYER_REGISTRY_USERNAME"
	RegistryPasswordEnv = "NIXLAYER_REGISTRY_PASSWORD"
)

// GitHubTokenEnv is the GitHub token of an Update, as an environment
// variable: the module sets it from a secret, never in the command line.
const GitHubTokenEnv = "GITHUB_TOKEN"

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

// Helper is the plan of a run of the helper in the Nix image, with the
// cache volumes, the helper and what inv needs of the call's inputs. what
// says what the run is for, for its errors.
func Helper(nixImage string, inv Invocation, what string) (Plan, error) {
	p := Plan{
		What: what, Image: nixImage, Platform: inv.RunsOn().OCI,
		Env:  NixEnv(),
		Argv: inv.Args(),
	}
	if err := inv.plan(&p); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// ProjectView is what the helper needs of the project directory: the
// project file, and the directories of its overlays (see OverlayDirs),
// without dot files. Other changes to the project do not change the build.
func ProjectView(projectFile string, overlays []string) Input {
	return Input{Kind: InputProject, Files: []string{projectFile}, Dirs: OverlayDirs(overlays), Exclude: []string{".*", "**/.*"}}
}

func layoutIn(i int) string { return InDir + "/" + strconv.Itoa(i) }
