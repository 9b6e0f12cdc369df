package main

import (
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/rootfs"
)

func newIndexCmd(opts *options) *cobra.Command {
	var layout, tag string
	cmd := &cobra.Command{
		Use:   clispec.CommandIndex + " LAYOUT... --oci-layout DIR",
		Short: "Merge the OCI layouts of several platforms into one image index",
		Long: `Write an OCI layout whose image index holds the images of the given
layouts, such as those nixlayer build wrote for each platform, one image
per platform, in nixlayer's platform order. The index is the same as the
one nixlayer build --platforms writes for the same images.`,
		Example: `  nixlayer index amd64/ arm64/ --oci-layout runtime/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("nixlayer index takes the OCI layouts to merge")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if layout == "" {
				return usagef("nixlayer index needs --oci-layout DIR, the layout to write")
			}
			imgs, err := readLayouts(args)
			if err != nil {
				return err
			}
			if tag == "" {
				tag = defaultTag(imgs)
			}
			if _, err := name.NewTag(tag); err != nil {
				return usagef("--tag %q: %w", tag, err)
			}
			if err := checkLayout(layout, tag); err != nil {
				return err
			}
			if err := image.WriteIndexLayout(cmd.Context(), imgs, layout, tag); err != nil {
				return err
			}
			if !opts.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "nixlayer: wrote %s: %d images\n", layout, len(imgs))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&layout, clispec.FlagOCILayout, "", "the OCI layout directory to write")
	cmd.Flags().StringVar(&tag, clispec.FlagTag, "", "the image name in the layout (default: nixlayer/KIND:latest, after the images' kind)")
	cmd.Flags().BoolVarP(&opts.quiet, "quiet", "q", false, "do not print progress")
	return cmd
}

// defaultTag is the name nixlayer build gives images of their kind, from
// the kind label of the first, or nixlayer/image:latest.
func defaultTag(imgs []v1.Image) string {
	if cf, err := imgs[0].ConfigFile(); err == nil {
		if k, err := kind.Parse(cf.Config.Labels[rootfs.LabelKind]); err == nil {
			return k.DefaultTag()
		}
	}
	return "nixlayer/image:latest"
}
