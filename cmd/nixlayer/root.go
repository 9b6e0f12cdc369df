package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// options are the flags every command shares.
type options struct {
	project  string
	json     bool
	nixpkgs  string
	store    string
	platform string
	quiet    bool
	verbose  bool
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	opts := &options{}
	root := &cobra.Command{
		Use:   "nixlayer",
		Short: "Build devcontainer and runtime images from Nix package sets",
		Long: `nixlayer turns named package sets (base, python, node, ...) into Nix
closures from one pinned nixpkgs, and those into OCI images, so that every
project gets the same store paths and so the same image layers.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&opts.project, clispec.FlagProject, "", "project file with custom sets, packages and overlays (default: ./"+sets.DefaultProjectFile+" when it exists)")
	root.PersistentFlags().BoolVar(&opts.json, clispec.FlagJSON, false, "print JSON for programs instead of text")
	root.AddCommand(newSetsCmd(opts), newClosureCmd(opts), newInventoryCmd(opts), newDevcontainerJSONCmd(opts), newEnvrcCmd(opts))
	for _, c := range root.Commands() {
		c.Args = noArgs
	}
	root.AddCommand(newBuildCmd(opts), newIndexCmd(opts), newPublishCmd(opts), newScanCmd(opts), newShellCmd(opts))
	root.AddCommand(newUpdateNixpkgsCmd(opts))
	return root
}

// noArgs refuses positional arguments.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %s", cmd.CommandPath(), strings.Join(args, " "))
	}
	return nil
}

// nixFlags adds the flags of the commands that run Nix.
func (o *options) nixFlags(fl *pflag.FlagSet) {
	fl.StringVar(&o.nixpkgs, clispec.FlagNixpkgs, "", "use this nixpkgs instead of the pinned one: a directory or a flake reference (env NIXLAYER_NIXPKGS)")
	fl.StringVar(&o.store, "store", "", "the Nix store to use, such as a chroot store /tmp/store (env NIXLAYER_STORE)")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "do not print progress")
	fl.BoolVarP(&o.verbose, "verbose", "v", false, "print Nix's own messages as they come, every derivation it builds among them")
}

// platformFlag adds --platform (and --system, its older spelling).
func (o *options) platformFlag(fl *pflag.FlagSet) {
	fl.StringVar(&o.platform, clispec.FlagPlatform, "", "the platform to build for: "+strings.Join(platform.Names(), " or ")+" (or a Nix system, such as "+platform.Systems()[0]+"; default: this machine's)")
	fl.StringVar(&o.platform, "system", "", "the Nix system to build for; the same as --platform")
	_ = fl.MarkHidden("system")
}

// loadProject reads the project file: the one --project names, or
// nixlayer.yaml in the working directory when it exists, or none.
func (o *options) loadProject() (*sets.Project, error) {
	path := o.project
	if path == "" {
		if _, err := os.Stat(sets.DefaultProjectFile); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		path = sets.DefaultProjectFile
	}
	return sets.LoadProject(path)
}

// driver is the Nix driver the flags ask for. --nixpkgs (or
// NIXLAYER_NIXPKGS) replaces the pinned nixpkgs: a directory, or any flake
// reference.
func (o *options) driver(stderr io.Writer) (*nix.Driver, error) {
	d := &nix.Driver{Store: firstOf(o.store, os.Getenv("NIXLAYER_STORE")), Probe: &nix.SubstituterProbe{}}
	if !o.quiet {
		d.Progress = stderr
	}
	if ref := firstOf(o.nixpkgs, os.Getenv("NIXLAYER_NIXPKGS")); ref != "" {
		if !strings.Contains(ref, ":") {
			abs, err := filepath.Abs(ref)
			if err != nil {
				return nil, err
			}
			if _, err := os.Stat(filepath.Join(abs, "flake.nix")); err != nil {
				return nil, usagef("--nixpkgs %s: not a flake directory (no flake.nix)", ref)
			}
			ref = "path:" + abs
		}
		d.FlakeArgs = []string{"--override-input", "nixpkgs", ref}
	}
	return d, nil
}

// installedDriver is driver, after checking that Nix is installed.
func (o *options) installedDriver(stderr io.Writer) (*nix.Driver, error) {
	d, err := o.driver(stderr)
	if err != nil {
		return nil, err
	}
	if err := d.Installed(); err != nil {
		return nil, err
	}
	return d, nil
}

// target is the platform --platform names, or this machine's.
func (o *options) target() (platform.Platform, error) {
	if o.platform == "" {
		p, err := platform.Host()
		if err != nil {
			return platform.Platform{}, usageError{err}
		}
		return p, nil
	}
	return platform.Parse(o.platform)
}

// selection composes spec and packages with the project file, for p. An
// explicit empty spec (--sets "") is an error, as is an empty name in it.
func (o *options) selection(spec string, packages []string, p platform.Platform) (sets.Selection, flake.Request, error) {
	project, err := o.loadProject()
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	return selection.Select(spec, packages, project, p.System)
}

// partitionSets are what the project's images are made of: the built-in
// sets, the project's, the kinds' required attributes and the project's
// packages (see catalog.Sets), by which builds partition the catalog.
func (o *options) partitionSets() ([]layers.Set, error) {
	project, err := o.loadProject()
	if err != nil {
		return nil, err
	}
	c, err := selection.Catalog(project)
	if err != nil {
		return nil, err
	}
	var packages []sets.Attr
	if project != nil {
		packages = project.Packages
	}
	return catalog.Sets(c, packages), nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
