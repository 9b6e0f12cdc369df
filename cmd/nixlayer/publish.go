package main

import (
	"fmt"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/refs"
)

func newPublishCmd(opts *options) *cobra.Command {
	var f imageFlags
	var layouts, tags []string
	var address string
	cmd := &cobra.Command{
		Use:   clispec.CommandPublish + " [devcontainer|runtime] --address REF [--tag T]...",
		Short: "Push images to a registry: build them, or take OCI layouts",
		Long: `Push an image to a registry under --address and each --tag, and print each
reference with the digest pushed. Give a kind of image to build it, with the
flags of nixlayer build (with --platforms, one image per platform, pushed as
one image index), or give the OCI layouts that nixlayer build or nixlayer
index wrote with --oci-layout (several are merged into one index).

The manifests are pushed byte for byte as nixlayer wrote them, so the
digest is the one nixlayer build printed. The registry is asked for every
blob before it is sent: blobs it has, such as the store layers of an
earlier push, are not uploaded again.

The registry login comes from the environment (NIXLAYER_REGISTRY_USERNAME
and NIXLAYER_REGISTRY_PASSWORD, both or neither), or else from Docker's
credentials, as docker push uses them.`,
		Example: `  nixlayer publish runtime --sets base,python --address ghcr.io/acme/app/runtime:2026-12-01 --tag latest
  nixlayer publish --oci-layout runtime/ --address localhost:5000/app:1`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("nixlayer publish takes at most one kind: devcontainer or runtime")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			to, err := refs.Publish(address, tags)
			if err != nil {
				return err
			}
			reg, err := registryFromEnv()
			if err != nil {
				return err
			}
			var imgs []v1.Image
			switch {
			case len(args) == 1 && len(layouts) > 0:
				return usagef("give a kind of image to build, or --oci-layout, not both")
			case len(args) == 1:
				im, err := f.check(cmd, opts, args[0])
				if err != nil {
					return err
				}
				built, err := f.build(cmd, opts, im)
				if err != nil {
					return err
				}
				for _, b := range built {
					imgs = append(imgs, b.Image)
				}
			case len(layouts) > 0:
				if imgs, err = readLayouts(layouts); err != nil {
					return err
				}
			default:
				return usagef("nixlayer publish needs a kind of image to build, or --oci-layout DIR")
			}
			if !opts.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "nixlayer: pushing %d image(s) to %s\n", len(imgs), strings.Join(to, ", "))
			}
			pushed, err := image.Push(cmd.Context(), imgs, to, reg)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), strings.Join(pushed, "\n"))
			return err
		},
	}
	f.add(cmd, opts)
	fl := cmd.Flags()
	fl.StringArrayVar(&layouts, clispec.FlagOCILayout, nil, "push the images of this OCI layout directory (repeat for several)")
	fl.StringVar(&address, clispec.FlagAddress, "", "where to push, with the tag, such as ghcr.io/acme/app/runtime:2026-12-01")
	fl.StringArrayVar(&tags, clispec.FlagTag, nil, "another tag to push under, in the address's repository, such as latest (repeat for several)")
	return cmd
}

// registryFromEnv is the registry login of the environment, or Docker's.
func registryFromEnv() (image.Registry, error) {
	user, password := os.Getenv(container.RegistryUserEnv), os.Getenv(container.RegistryPasswordEnv)
	if (user == "") != (password == "") {
		return image.Registry{}, usagef("set both %s and %s, or neither", container.RegistryUserEnv, container.RegistryPasswordEnv)
	}
	return image.Registry{Username: user, Password: password}, nil
}

// readLayouts reads the images of the layouts, checked to be one per
// platform.
func readLayouts(dirs []string) ([]v1.Image, error) {
	var imgs []v1.Image
	for _, d := range dirs {
		got, err := image.ReadLayout(d)
		if err != nil {
			return nil, usageError{err}
		}
		imgs = append(imgs, got...)
	}
	if len(imgs) > 1 {
		if _, err := image.NewIndex(imgs); err != nil {
			return nil, usageError{err}
		}
	}
	return imgs, nil
}
