package container

import (
	"strings"

	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// The command lines and plans of the invocations. The mounts come in one
// order: the Nix volumes, the blob cache, the helper, the project and
// nixpkgs, the layouts, the flake and the scanner, the base image.

// args are the selection's flags: the sets, the packages, the project,
// the nixpkgs and the platform.
func (s Selection) args() []string {
	args := []string{clispec.Arg(clispec.FlagSets, strings.Join(s.Sets, ","))}
	for _, p := range s.Packages {
		args = append(args, clispec.Arg(clispec.FlagPackages, p))
	}
	if s.ProjectFile != "" {
		args = append(args, clispec.Arg(clispec.FlagProject, ProjectFileArg(s.ProjectFile)))
	}
	if s.Nixpkgs {
		// The helper makes a directory a path: flake reference, so Nix
		// takes all of it, as it is.
		args = append(args, clispec.Arg(clispec.FlagNixpkgs, NixpkgsDir))
	}
	return append(args, clispec.Arg(clispec.FlagPlatform, s.Platform.OCI))
}

// plan gives p the Nix volumes of the selection's platform, the blob cache
// when cached, the helper, then the project and nixpkgs.
func (s Selection) plan(p *Plan, cached bool) error {
	if err := nixVolumes(p, s.Platform); err != nil {
		return err
	}
	if cached {
		p.Mounts = append(p.Mounts, blobCache)
	}
	p.Mounts = append(p.Mounts, helper)
	if s.ProjectFile != "" {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: ProjectDir, Input: ProjectView(s.ProjectFile, s.Overlays)})
		p.Workdir = ProjectDir
	}
	if s.Nixpkgs {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: NixpkgsDir, Input: Input{Kind: InputNixpkgs}})
	}
	return nil
}

// nixVolumes mounts the Nix store and the fetcher cache of p's image for
// platform t. Locked: Nix without a daemon does not guard its store
// against another nix writing it at the same time, so builds for the same
// image and system take turns. The fetcher cache goes with the store,
// under the same lock.
func nixVolumes(p *Plan, t platform.Platform) error {
	store, fetcher, err := NixVolumes(p.Image, t.System)
	if err != nil {
		return err
	}
	p.Mounts = append(p.Mounts,
		Mount{Kind: CacheMount, Path: NixDir, Volume: store, Sharing: Locked, Seed: NixDir},
		Mount{Kind: CacheMount, Path: FetcherCacheDir, Volume: fetcher, Sharing: Locked})
	return nil
}

var (
	// blobCache is shared: the helper writes each blob to a temporary file
	// and renames it into place, so concurrent builds can share the cache.
	blobCache = Mount{Kind: CacheMount, Path: BlobCacheDir, Volume: BlobCacheVolume, Sharing: Shared}
	helper    = Mount{Kind: FileMount, Path: HelperPath, Input: Input{Kind: InputHelper}}
)

// layouts mounts n OCI layouts at InDir/0, InDir/1, ….
func layouts(p *Plan, n int) {
	for i := range n {
		p.Mounts = append(p.Mounts, Mount{Kind: DirMount, Path: layoutIn(i), Input: Input{Kind: InputLayout, Index: i}})
	}
}

// Args is the command line of the build.
func (b Build) Args() []string {
	args := append([]string{HelperPath, clispec.CommandBuild, string(b.Kind)}, b.Selection.args()...)
	if !b.Nixpkgs {
		// The pinned nixpkgs is in the public cache: its narinfo files
		// give the catalog's closures without building or downloading it.
		args = append(args, clispec.Arg(clispec.FlagCatalogStore, CatalogStore))
	}
	args = append(args, clispec.Arg(clispec.FlagCache, BlobCacheDir))
	if b.Base {
		args = append(args, clispec.Arg(clispec.FlagBaseImage, BaseImagePath))
	}
	if b.BaseName != "" {
		args = append(args, clispec.Arg(clispec.FlagBaseImageName, b.BaseName))
	}
	if b.Layout {
		return append(args, clispec.Arg(clispec.FlagOCILayout, LayoutPath))
	}
	return append(args, clispec.Arg(clispec.FlagOutput, ArchivePath))
}

// RunsOn is the platform built for.
func (b Build) RunsOn() platform.Platform { return b.Platform }

func (b Build) plan(p *Plan) error {
	if err := b.Selection.plan(p, true); err != nil {
		return err
	}
	if b.Base {
		// A file the engine exported: the helper reads it without the
		// network, so the exec is as cacheable as any build.
		p.Mounts = append(p.Mounts, Mount{Kind: FileMount, Path: BaseImagePath, Input: Input{Kind: InputBaseImage}})
	}
	p.Dirs = []string{OutDir}
	p.Output = Output{Kind: FileOutput, Path: ArchivePath}
	if b.Layout {
		p.Output = Output{Kind: DirOutput, Path: LayoutPath}
	}
	return nil
}

// Args is the command line of the closure.
func (c Closure) Args() []string {
	args := append([]string{HelperPath, clispec.CommandClosure}, c.Selection.args()...)
	if c.JSON {
		args = append(args, clispec.Switch(clispec.FlagJSON))
	}
	return args
}

// RunsOn is the platform built for.
func (c Closure) RunsOn() platform.Platform { return c.Platform }

func (c Closure) plan(p *Plan) error {
	p.Output = Output{Kind: StdoutOutput}
	return c.Selection.plan(p, false)
}

// Args is the command line of the inventory.
func (i Inventory) Args() []string {
	return append([]string{HelperPath, clispec.CommandInventory}, i.Selection.args()...)
}

// RunsOn is the platform evaluated for.
func (i Inventory) RunsOn() platform.Platform { return i.Platform }

func (i Inventory) plan(p *Plan) error {
	p.Output = Output{Kind: StdoutOutput}
	return i.Selection.plan(p, false)
}

// Args is the command line of the index: the layouts, then the layout to
// write.
func (x Index) Args() []string {
	args := []string{HelperPath, clispec.CommandIndex}
	for i := range x.Layouts {
		args = append(args, layoutIn(i))
	}
	return append(args, clispec.Arg(clispec.FlagOCILayout, LayoutPath), clispec.Arg(clispec.FlagTag, x.Kind.DefaultTag()))
}

// RunsOn is the engine's platform.
func (x Index) RunsOn() platform.Platform { return x.Platform }

// plan runs no Nix: an index only reads OCI layouts.
func (x Index) plan(p *Plan) error {
	p.Mounts = append(p.Mounts, helper)
	layouts(p, x.Layouts)
	p.Dirs = []string{OutDir}
	p.Output = Output{Kind: DirOutput, Path: LayoutPath}
	return nil
}

// Args is the command line of the publish.
func (x Publish) Args() []string {
	args := []string{HelperPath, clispec.CommandPublish}
	for i := range x.Layouts {
		args = append(args, clispec.Arg(clispec.FlagOCILayout, layoutIn(i)))
	}
	args = append(args, clispec.Arg(clispec.FlagAddress, x.Address))
	for _, t := range x.Tags {
		args = append(args, clispec.Arg(clispec.FlagTag, t))
	}
	return args
}

// RunsOn is the engine's platform.
func (x Publish) RunsOn() platform.Platform { return x.Platform }

// plan runs no Nix: a publish only reads OCI layouts. A push must reach
// the registry every time: the registry may have lost the image since the
// last one.
func (x Publish) plan(p *Plan) error {
	p.Mounts = append(p.Mounts, helper)
	layouts(p, x.Layouts)
	p.Output = Output{Kind: StdoutOutput}
	p.Fresh = true
	if x.Username != "" {
		p.Env = append(p.Env, Env{RegistryUserEnv, x.Username})
		p.Secrets = []Secret{{Name: RegistryPasswordEnv, Input: Input{Kind: InputRegistryPassword}}}
	}
	return nil
}

// Args is the command line of the update.
func (u Update) Args() []string {
	args := []string{HelperPath, clispec.CommandUpdateNixpkgs,
		clispec.Arg(clispec.FlagFlake, FlakeDir), clispec.Arg(clispec.FlagOut, ChangesDir),
		clispec.Arg(clispec.FlagReport, ChangesDir+"/"+ReportFile), clispec.Arg(clispec.FlagJSON, ChangesDir+"/"+JSONReportFile),
		clispec.Arg(clispec.FlagCatalogStore, CatalogStore), clispec.Arg(clispec.FlagCache, BlobCacheDir)}
	if u.BumpRelease {
		args = append(args, clispec.Switch(clispec.FlagBumpRelease))
	}
	if u.To != "" {
		args = append(args, clispec.Arg(clispec.FlagTo, u.To))
	}
	switch {
	case !u.Scan:
		args = append(args, clispec.Switch(clispec.FlagNoScan))
	case u.ScanDatabase:
		args = append(args, clispec.Arg(clispec.FlagDB, DatabaseDir))
	default:
		args = append(args, clispec.Arg(clispec.FlagScanCache, DatabaseDir))
	}
	if u.FailIfNewVulns {
		args = append(args, clispec.Switch(clispec.FlagFailIfNewVulns))
	}
	if u.FailOn != scanner.Unknown {
		args = append(args, clispec.Arg(clispec.FlagFailOn, u.FailOn.String()))
	}
	return args
}

// RunsOn is the engine's platform.
func (u Update) RunsOn() platform.Platform { return u.Platform }

// plan mounts the flake and, to scan, the scanner and the OSV databases.
// The update reaches GitHub and nixpkgs' branch every time: a cached run
// would report a pin that has moved since.
func (u Update) plan(p *Plan) error {
	if err := nixVolumes(p, u.Platform); err != nil {
		return err
	}
	p.Mounts = append(p.Mounts, blobCache, helper, Mount{Kind: DirMount, Path: FlakeDir, Input: Input{Kind: InputFlake}})
	if u.Scan {
		p.Mounts = append(p.Mounts, Mount{Kind: FileMount, Path: ScannerPath, Input: Input{Kind: InputScanner}}, databaseMount(u.ScanDatabase))
		p.Env = append(p.Env, Env{ScannerEnv, ScannerPath})
	}
	// The helper makes ChangesDir (--out) in it.
	p.Dirs = []string{OutDir}
	p.Output = Output{Kind: DirOutput, Path: ChangesDir}
	p.Fresh = true
	if u.GitHubToken {
		p.Secrets = []Secret{{Name: GitHubTokenEnv, Input: Input{Kind: InputGitHubToken}}}
	}
	return nil
}
