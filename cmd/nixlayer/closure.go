package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/report"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

func newClosureCmd(opts *options) *cobra.Command {
	var spec string
	var packages []string
	cmd := &cobra.Command{
		Use:   "closure --sets base,python",
		Short: "Build package sets and print their closure",
		Long: `Build the attributes of the given sets (and --packages) from the pinned
nixpkgs and print their closure: every store path with its size, then the
total. The closure is what the images hold under /nix/store.

Nix's build progress goes to standard error; the report goes to standard
output only when everything succeeded.`,
		Example: `  nixlayer closure --sets base,python
  nixlayer closure --sets base --packages htop,jq --json
  nixlayer closure --sets base --nixpkgs ./testdata/universe`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if spec == "" {
				return usageError{errors.New("--sets is required, such as --sets base,python (nixlayer sets lists them)")}
			}
			sel, req, err := opts.selection(spec, packages)
			if err != nil {
				return err
			}
			d, err := opts.installedDriver(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if !opts.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "nixlayer: building %d attributes from sets %v\n", len(req.Attrs), sel.Sets)
			}
			res, err := pipeline.Run(cmd.Context(), d, nixflake.Files, req, os.TempDir())
			if err != nil {
				return err
			}
			var out bytes.Buffer
			if opts.json {
				err = report.JSON(&out, report.NewClosureDoc(sel, res.Plan, res.Closure))
			} else {
				err = report.Closure(&out, res.Closure)
			}
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out.Bytes())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&spec, "sets", "", `comma-separated sets to compose, such as "base,python" (see nixlayer sets)`)
	f.StringSliceVar(&packages, "packages", nil, "extra nixpkgs attributes, comma-separated")
	f.StringVar(&opts.nixpkgs, "nixpkgs", "", "use this nixpkgs instead of the pinned one: a directory or a flake reference (env NIXLAYER_NIXPKGS)")
	f.StringVar(&opts.store, "store", "", "the Nix store to use, such as a chroot store /tmp/store (env NIXLAYER_STORE)")
	f.StringVar(&opts.system, "system", "", "the Nix system to build for (default: this machine's)")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "do not print progress")
	return cmd
}
