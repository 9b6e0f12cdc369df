package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/report"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// setsFlags are the flags that choose what to build.
type setsFlags struct {
	spec     string
	packages []string
}

func (f *setsFlags) add(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&f.spec, clispec.FlagSets, "", what)
	cmd.Flags().StringSliceVar(&f.packages, clispec.FlagPackages, nil, "extra nixpkgs attributes, comma-separated")
}

// required returns --sets, which must be given.
func (f *setsFlags) required() (string, error) {
	if f.spec == "" {
		return "", usagef("--sets is required, such as --sets base,python (nixlayer sets lists them)")
	}
	return f.spec, nil
}

func newClosureCmd(opts *options) *cobra.Command {
	var f setsFlags
	cmd := &cobra.Command{
		Use:   clispec.CommandClosure + " --sets base,python",
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
			spec, err := f.required()
			if err != nil {
				return err
			}
			p, err := opts.target()
			if err != nil {
				return err
			}
			sel, req, err := opts.selection(spec, f.packages, p)
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
	f.add(cmd, `comma-separated sets to compose, such as "base,python" (see nixlayer sets)`)
	opts.nixFlags(cmd.Flags())
	opts.platformFlag(cmd.Flags())
	return cmd
}
