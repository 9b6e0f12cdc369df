package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// options are the flags every command shares.
type options struct {
	project string
	json    bool
	nixpkgs string
	store   string
	system  string
	quiet   bool
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
	root.PersistentFlags().StringVar(&opts.project, "project", "", "project file with custom sets, packages and overlays (default: ./"+sets.DefaultProjectFile+" when it exists)")
	root.PersistentFlags().BoolVar(&opts.json, "json", false, "print JSON for programs instead of text")
	root.AddCommand(newSetsCmd(opts), newClosureCmd(opts))
	for _, c := range root.Commands() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{errors.New(cmd.CommandPath() + " takes no arguments, got " + strings.Join(args, " "))}
			}
			return nil
		}
	}
	root.AddCommand(newBuildCmd(opts))
	return root
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
	d := &nix.Driver{Store: firstOf(o.store, os.Getenv("NIXLAYER_STORE"))}
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
				return nil, usageError{errors.New("--nixpkgs " + ref + ": not a flake directory (no flake.nix)")}
			}
			ref = "path:" + abs
		}
		d.FlakeArgs = []string{"--override-input", "nixpkgs", ref}
	}
	return d, nil
}

// selection composes spec and packages with the project file, for the
// system the flags name.
func (o *options) selection(spec string, packages []string) (sets.Selection, flake.Request, error) {
	project, err := o.loadProject()
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	return pipeline.Select(spec, packages, project, o.systemOrDefault())
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

func (o *options) systemOrDefault() string {
	return firstOf(o.system, flake.DefaultSystem())
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
