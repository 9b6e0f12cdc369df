package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/devshell"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// shellRequest is the flake request of the dev shells of spec and
// packages, for this machine, with the selection it composes.
func (o *options) shellRequest(spec string, packages []string) (sets.Selection, flake.Request, error) {
	sel, req, err := o.selection(spec, packages, platform.Platform{System: platform.HostSystem()})
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	project, err := o.loadProject()
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	catalog, err := selection.Catalog(project)
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	return sel, devshell.Request(req, catalog), nil
}

func newShellCmd(opts *options) *cobra.Command {
	var f setsFlags
	var command bool
	cmd := &cobra.Command{
		Use:   "shell --sets base,python [--command CMD ARGS...]",
		Short: "Open a shell with the sets' store paths, the images' own, without a container",
		Long: `Open a shell whose PATH starts with the programs of the given sets (and
--packages), from the pinned nixpkgs: the store paths of nixlayer's images of
the same sets, in the images' order, and nothing else; the rest of PATH is
yours. With --command, run CMD ARGS... in it instead, and exit with its
status; every word after --command CMD is CMD's.

It is nix develop on the flake's dev shell of the sets (nixlayer envrc writes
the same flake into a project, for direnv). It builds what the store lacks
first.`,
		Example: `  nixlayer shell --sets base,python
  nixlayer shell --sets base,python --command python3 -c 'import sys; print(sys.executable)'
  nixlayer shell --sets base,go --packages htop --nixpkgs ./testdata/universe`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case command && len(args) == 0:
				return usagef("--command needs a command to run, such as --command python3 --version")
			case !command && len(args) > 0:
				return usagef("nixlayer shell takes no arguments, got %s; to run a command in the shell, give --command CMD ARGS...", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := f.required()
			if err != nil {
				return err
			}
			_, req, err := opts.shellRequest(spec, f.packages)
			if err != nil {
				return err
			}
			d, err := opts.installedDriver(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			wd, err := atomic.WorkDir(os.TempDir())
			if err != nil {
				return fmt.Errorf("making a work directory: %w", err)
			}
			defer wd.RemoveAll()
			w, locked, err := pipeline.Shell(cmd.Context(), d, nixflake.Files, req, filepath.Join(wd.Path, "flake"), true)
			if err != nil {
				return err
			}
			if opts.quiet {
				locked.Args = append(slices.Clone(locked.Args), "--quiet")
			}
			code, err := locked.Develop(flake.ShellInstallable(w.Ref(), req.System, devshell.Default), args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if code != 0 {
				return exitError{code}
			}
			return nil
		},
	}
	f.add(cmd, `comma-separated sets of the shell, such as "base,python" (see nixlayer sets)`)
	cmd.Flags().BoolVar(&command, "command", false, "run the command that follows (CMD ARGS...) in the shell instead of opening it")
	// Every word after the command is the command's, as with nix develop.
	cmd.Flags().SetInterspersed(false)
	opts.nixFlags(cmd.Flags())
	return cmd
}

func newEnvrcCmd(opts *options) *cobra.Command {
	var f setsFlags
	output := ".envrc"
	cmd := &cobra.Command{
		Use:   "envrc --sets base,python [-o .envrc]",
		Short: "Write a project's .envrc for direnv, with the sets' store paths, the images' own",
		Long: `Write an .envrc for direnv, and beside it the directory ` + devshell.Dir + `: a copy of
nixlayer's flake with the given sets (and --packages and the project's
overlays) as its dev shells, and its flake.lock, which pins the same nixpkgs
as nixlayer's images (or the --nixpkgs given). direnv allow, then cd into the
project: use flake opens the dev shell, whose PATH starts with the store
paths of nixlayer's images of the same sets. nix develop path:./` + devshell.Dir + ` opens
the same shell, and path:./` + devshell.Dir + `#NAME the shell of one set.

Commit both, so that everyone gets the same shell; run nixlayer envrc again
after changing the sets or nixlayer.yaml, or to move to nixlayer's new pin.
It evaluates the sets (an attribute nixpkgs lacks is an error) but builds
nothing. An existing ` + devshell.Dir + ` is replaced only when nixlayer envrc wrote it.`,
		Example: `  nixlayer envrc --sets base,python && direnv allow
  nixlayer envrc --sets base,go,goDev --packages htop -o project/.envrc`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := f.required()
			if err != nil {
				return err
			}
			sel, req, err := opts.shellRequest(spec, f.packages)
			if err != nil {
				return err
			}
			if err := writableDir("-o", output); err != nil {
				return err
			}
			abs, err := filepath.Abs(output)
			if err != nil {
				return err
			}
			dir := filepath.Join(filepath.Dir(abs), devshell.Dir)
			atomic.Sweep(filepath.Dir(dir), filepath.Base(dir))
			if err := checkShellDir(dir); err != nil {
				return err
			}
			d, err := opts.installedDriver(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			tmp, err := atomic.MkdirTemp(dir, "")
			if err != nil {
				return err
			}
			defer tmp.RemoveAll()
			if _, _, err := pipeline.Shell(cmd.Context(), d, nixflake.Files, req, filepath.Join(tmp.Path, "flake"), false); err != nil {
				return err
			}
			if err := atomic.ReplaceDir(filepath.Join(tmp.Path, "flake"), dir); err != nil {
				return fmt.Errorf("writing %s: %w", dir, err)
			}
			if err := atomic.WriteFile(output, devshell.Envrc(sel.Sets, f.packages), 0o644); err != nil {
				return err
			}
			if !opts.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "nixlayer: wrote %s and %s; run direnv allow\n", output, filepath.Join(filepath.Dir(output), devshell.Dir))
			}
			return nil
		},
	}
	f.add(cmd, `comma-separated sets of the shell, such as "base,python" (see nixlayer sets)`)
	cmd.Flags().StringVarP(&output, "output", "o", output, "the .envrc to write; "+devshell.Dir+" goes beside it")
	opts.nixFlags(cmd.Flags())
	return cmd
}

// checkShellDir checks that nixlayer envrc may write dir: it is missing,
// empty, or a flake that nixlayer wrote (with its request).
func checkShellDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return usagef("%s: %w", dir, err)
	case len(entries) == 0:
		return nil
	}
	for _, f := range []string{"flake.nix", flake.RequestFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return usagef("%s exists and is not a dev shell flake that nixlayer envrc wrote (it has no %s); move it away", dir, f)
		}
	}
	return nil
}
