package main

import (
	"bytes"
	"os"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/report"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

func newInventoryCmd(opts *options) *cobra.Command {
	var f setsFlags
	cmd := &cobra.Command{
		Use:   clispec.CommandInventory + " --sets base,python",
		Short: "Evaluate package sets, without building them, and print what nixpkgs says of each package",
		Long: `Evaluate the attributes of the given sets (and --packages), without
building them, and print, as JSON, what nixpkgs says about each: its
attribute, the set it comes from, its store path, pname and version, where
its source comes from (URL, or repository and revision), the patches
applied to it, its licences and its identifiers (such as a CPE).`,
		Example: `  nixlayer inventory --sets base,python
  nixlayer inventory --sets base --packages htop --nixpkgs ./testdata/universe`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := f.required()
			if err != nil {
				return err
			}
			p, err := opts.target()
			if err != nil {
				return err
			}
			_, req, err := opts.selection(spec, f.packages, p)
			if err != nil {
				return err
			}
			d, err := opts.installedDriver(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			plan, err := pipeline.Evaluate(cmd.Context(), d, nixflake.Files, req, os.TempDir())
			if err != nil {
				return err
			}
			var out bytes.Buffer
			if err := report.JSON(&out, plan); err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out.Bytes())
			return err
		},
	}
	f.add(cmd, `comma-separated sets to evaluate, such as "base,python" (see nixlayer sets)`)
	opts.nixFlags(cmd.Flags())
	opts.platformFlag(cmd.Flags())
	return cmd
}
