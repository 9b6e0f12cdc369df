package main

import (
	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/devcontainer"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
)

func newDevcontainerJSONCmd(opts *options) *cobra.Command {
	var f setsFlags
	var image, output string
	cmd := &cobra.Command{
		Use:   "devcontainer-json [--sets S] [--image REF] [-o FILE]",
		Short: "Write the devcontainer.json of a project that works in a nixlayer devcontainer",
		Long: `Write a devcontainer.json for a project: the devcontainer image (--image,
as you publish it), its user, vscode, whose uid the devcontainer CLI sets to
yours (updateRemoteUserUID), and the VS Code extensions and settings of the
sets, with the project file's. The image's devcontainer.metadata label
brings the rest (its environment, and the onCreateCommand that gives /nix
to your uid). It runs no Nix.`,
		Example: `  nixlayer devcontainer-json --sets base,python --image ghcr.io/acme/app/devcontainer:latest -o .devcontainer/devcontainer.json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec := f.spec
			if cmd.Flags().Changed("sets") && spec == "" {
				return usagef("--sets is empty; omit it for the devcontainer's default sets (%s), or list sets, such as --sets base,python", kind.Devcontainer.DefaultSets())
			}
			if spec == "" {
				spec = kind.Devcontainer.DefaultSets()
			}
			sel, _, err := opts.selection(spec, f.packages, platform.Platform{System: platform.HostSystem()})
			if err != nil {
				return err
			}
			if image == "" {
				image = kind.Devcontainer.DefaultTag()
			}
			data, err := devcontainer.File(image, devcontainer.RemoteUser, devcontainer.Customizations(sel.Extensions, sel.Settings))
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			if err := writableDir("-o", output); err != nil {
				return err
			}
			return atomic.WriteFile(output, data, 0o644)
		},
	}
	f.add(cmd, `comma-separated sets of the devcontainer (default: `+kind.Devcontainer.DefaultSets()+`)`)
	cmd.Flags().StringVar(&image, "image", "", "the devcontainer image, as you publish it (default "+kind.Devcontainer.DefaultTag()+")")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write devcontainer.json to this file (default: standard output)")
	return cmd
}
