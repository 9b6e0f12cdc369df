package container

import (
	"path"
	"strconv"
	"strings"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// The helper's commands that the module runs.
const (
	CommandBuild     = "build"
	CommandClosure   = "closure"
	CommandInventory = "inventory"
	CommandIndex     = "index"
	CommandPublish   = "publish"
	CommandUpdate    = "update-nixpkgs"
)

// Invocation is one run of the helper in the Nix container.
type Invocation struct {
	// Command is one of the Command constants.
	Command string
	// Kind is the kind of image, for CommandBuild.
	Kind kind.Kind
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
	// JSON asks CommandClosure for its JSON report.
	JSON bool
	// Layout asks CommandBuild for an OCI layout at LayoutPath instead of
	// an archive at ArchivePath.
	Layout bool
	// Layouts is how many OCI layouts CommandIndex and CommandPublish
	// read, from InDir/0, InDir/1, ….
	Layouts int
	// Address and Tags are where CommandPublish pushes: the reference,
	// with its tag, and more tags in its repository.
	Address string
	Tags    []string
	// Username, when set, logs CommandPublish in to the registry, with
	// the call's password secret.
	Username string
	// BumpRelease and To are CommandUpdate's --bump-release and --to.
	BumpRelease bool
	To          string
	// GitHubToken says that the call gives CommandUpdate a GitHub token
	// secret, for the API's rate limit.
	GitHubToken bool
	// Scan says that CommandUpdate scans both pins for vulnerabilities,
	// with the scanner mounted at ScannerPath, and ScanDatabase that the
	// call gives the OSV database as a directory (otherwise the databases
	// are downloaded into OSVVolume). FailIfNewVulns is the update's gate,
	// counting from FailOn (Unknown for the update's default).
	Scan, ScanDatabase, FailIfNewVulns bool
	FailOn                             scanner.Level
	// Base says that CommandBuild puts the image on the base image whose
	// archive is mounted at BaseImagePath. BaseName, when set, names it
	// for the image's labels, such as the reference the engine pulled.
	Base     bool
	BaseName string
}

// Registry credentials of CommandPublish, as environment variables: the
// module sets the password from a secret, never in the command line.
const (
	RegistryUserEnv     = "NIXLAYER_REGISTRY_USERNAME"
	RegistryPasswordEnv = "NIXLAYER_REGISTRY_PASSWORD"
)

// GitHubTokenEnv is the GitHub token of CommandUpdate, as an environment
// variable: the module sets it from a secret, never in the command line.
const GitHubTokenEnv = "GITHUB_TOKEN"

// CatalogStore is where builds from the pinned nixpkgs read the catalog's
// closures. Another nixpkgs (a mirror, a branch under test) is not in it,
// so those builds build the catalog in the container's store instead.
const CatalogStore = "https://cache.nixos.org"

// Args is the command line of the run.
func (inv Invocation) Args() []string {
	args := []string{HelperPath, inv.Command}
	switch inv.Command {
	case CommandIndex:
		for i := range inv.Layouts {
			args = append(args, layoutIn(i))
		}
		return append(args, "--oci-layout="+LayoutPath, "--tag="+inv.Kind.DefaultTag())
	case CommandPublish:
		// --flag=value, so that no value is taken for a flag.
		for i := range inv.Layouts {
			args = append(args, "--oci-layout="+layoutIn(i))
		}
		args = append(args, "--address="+inv.Address)
		for _, t := range inv.Tags {
			args = append(args, "--tag="+t)
		}
		return args
	case CommandUpdate:
		return inv.updateArgs(args)
	case CommandBuild:
		args = append(args, string(inv.Kind))
	}
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
	args = append(args, "--platform="+inv.Platform.OCI)
	switch {
	case inv.Command == CommandBuild:
		if !inv.Nixpkgs {
			// The pinned nixpkgs is in the public cache: its narinfo files
			// give the catalog's closures without building or downloading
			// it.
			args = append(args, "--catalog-store="+CatalogStore)
		}
		args = append(args, "--cache="+BlobCacheDir)
		if inv.Base {
			args = append(args, "--base-image="+BaseImagePath)
		}
		if inv.BaseName != "" {
			args = append(args, "--base-image-name="+inv.BaseName)
		}
		if inv.Layout {
			args = append(args, "--oci-layout="+LayoutPath)
		} else {
			args = append(args, "--output="+ArchivePath)
		}
	case inv.JSON:
		args = append(args, "--json")
	}
	return args
}

func layoutIn(i int) string { return InDir + "/" + strconv.Itoa(i) }

// updateArgs is CommandUpdate's command line after args: the flake at
// FlakeDir, everything written into ChangesDir, and the catalogs'
// closures from the public cache, as builds from the pin read them.
func (inv Invocation) updateArgs(args []string) []string {
	args = append(args, "--flake="+FlakeDir, "--out="+ChangesDir,
		"--report="+ChangesDir+"/"+ReportFile, "--json="+ChangesDir+"/"+JSONReportFile,
		"--catalog-store="+CatalogStore, "--cache="+BlobCacheDir)
	if inv.BumpRelease {
		args = append(args, "--bump-release")
	}
	if inv.To != "" {
		args = append(args, "--to="+inv.To)
	}
	switch {
	case !inv.Scan:
		args = append(args, "--no-scan")
	case inv.ScanDatabase:
		args = append(args, "--db="+DatabaseDir)
	default:
		args = append(args, "--scan-cache="+DatabaseDir)
	}
	if inv.FailIfNewVulns {
		args = append(args, "--fail-if-new-vulns")
	}
	if inv.FailOn != scanner.Unknown {
		args = append(args, "--fail-on="+inv.FailOn.String())
	}
	return args
}

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
		What: what, Image: nixImage, Platform: inv.Platform.OCI,
		Env:  NixEnv(),
		Argv: inv.Args(),
	}
	if inv.runsNix() {
		store, fetcher, err := NixVolumes(nixImage, inv.Platform.System)
		if err != nil {
			return Plan{}, err
		}
		p.Mounts = []Mount{
			// Locked: Nix without a daemon does not guard its store against
			// another nix writing it at the same time, so builds for the
			// same image and system take turns. The fetcher cache goes with
			// the store, under the same lock.
			{Kind: CacheMount, Path: NixDir, Volume: store, Sharing: Locked, Seed: NixDir},
			{Kind: CacheMount, Path: FetcherCacheDir, Volume: fetcher, Sharing: Locked},
		}
	}
	if inv.Command == CommandBuild || inv.Command == CommandUpdate {
		// Shared: the helper writes each blob to a temporary file and
		// renames it into place, so concurrent builds can share the cache.
		p.Mounts = append(p.Mounts, Mount{Kind: CacheMount, Path: BlobCacheDir, Volume: BlobCacheVolume, Sharing: Shared})
	}
	p.Mounts = append(p.Mounts, Mount{Kind: FileMount, Path: HelperPath, Input: Input{Kind: InputHelper}})
	if inv.ProjectFile != "" {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: ProjectDir, Input: ProjectView(inv.ProjectFile, inv.Overlays)})
		p.Workdir = ProjectDir
	}
	if inv.Nixpkgs {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: NixpkgsDir, Input: Input{Kind: InputNixpkgs}})
	}
	for i := range inv.Layouts {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: layoutIn(i), Input: Input{Kind: InputLayout, Index: i}})
	}
	if inv.Command == CommandUpdate {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: FlakeDir, Input: Input{Kind: InputFlake}})
		if inv.Scan {
			p.Mounts = append(p.Mounts, Mount{Kind: FileMount, Path: ScannerPath, Input: Input{Kind: InputScanner}}, databaseMount(inv.ScanDatabase))
			p.Env = append(p.Env, Env{ScannerEnv, ScannerPath})
		}
	}
	if inv.Base {
		// A file the engine exported: the helper reads it without the
		// network, so the exec is as cacheable as any build.
		p.Mounts = append(p.Mounts, Mount{Kind: FileMount, Path: BaseImagePath, Input: Input{Kind: InputBaseImage}})
	}
	switch inv.Command {
	case CommandBuild, CommandIndex:
		p.Dirs = []string{OutDir}
		p.Output = Output{Kind: FileOutput, Path: ArchivePath}
		if inv.Layout || inv.Command == CommandIndex {
			p.Output = Output{Kind: DirOutput, Path: LayoutPath}
		}
	case CommandUpdate:
		// The helper makes ChangesDir (--out) in it.
		p.Dirs = []string{OutDir}
		p.Output = Output{Kind: DirOutput, Path: ChangesDir}
		// The update reaches GitHub and nixpkgs' branch every time: a
		// cached run would report a pin that has moved since.
		p.Fresh = true
		if inv.GitHubToken {
			p.Secrets = []Secret{{Name: GitHubTokenEnv, Input: Input{Kind: InputGitHubToken}}}
		}
	default:
		p.Output = Output{Kind: StdoutOutput}
	}
	if inv.Command == CommandPublish {
		// A push must reach the registry every time: the registry may have
		// lost the image since the last one.
		p.Fresh = true
		if inv.Username != "" {
			p.Env = append(p.Env, Env{RegistryUserEnv, inv.Username})
			p.Secrets = []Secret{{Name: RegistryPasswordEnv, Input: Input{Kind: InputRegistryPassword}}}
		}
	}
	return p, nil
}

// runsNix reports whether the command runs Nix, and so needs the Nix
// volumes. An index or a publish only reads OCI layouts.
func (inv Invocation) runsNix() bool {
	return inv.Command != CommandIndex && inv.Command != CommandPublish
}

// ProjectView is what the helper needs of the project directory: the
// project file, and the directories of its overlays (see OverlayDirs),
// without dot files. Other changes to the project do not change the build.
func ProjectView(projectFile string, overlays []string) Input {
	return Input{Kind: InputProject, Files: []string{projectFile}, Dirs: OverlayDirs(overlays), Exclude: []string{".*", "**/.*"}}
}
