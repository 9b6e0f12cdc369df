package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/platform"
)

// baseFlags choose the image that the built image's layers go on.
type baseFlags struct {
	baseImage, baseName string
	failOnBaseSetuid    bool
}

func (f *baseFlags) add(fl *pflag.FlagSet) {
	fl.StringVar(&f.baseImage, clispec.FlagBaseImage, "", "put the layers on this image, such as a certified distribution: an OCI layout directory, an image archive (OCI or docker), or a registry reference (default: none, scratch)")
	fl.StringVar(&f.baseName, clispec.FlagBaseImageName, "", "the base's name for the org.opencontainers.image.base.name label (default: --base-image when it is a registry reference)")
	fl.BoolVar(&f.failOnBaseSetuid, "fail-on-base-setuid", false, "fail when the base image holds setuid or setgid files of its own, instead of reporting them")
}

// open opens the base image for each platform, before Nix runs, so that a
// base that is no image, is of another platform, or whose accounts take
// the name or id of the kind's user fails at once. With
// --fail-on-base-setuid, so does a base with setuid or setgid files.
func (f *baseFlags) open(cmd *cobra.Command, opts *options, k kind.Kind, ps []platform.Platform, cache cachedir.Dir) ([]*pipeline.Base, error) {
	if f.baseImage == "" {
		if f.baseName != "" || f.failOnBaseSetuid {
			return nil, usagef("--base-image-name and --fail-on-base-setuid need --base-image")
		}
		return make([]*pipeline.Base, len(ps)), nil
	}
	reg, err := registryFromEnv()
	if err != nil {
		return nil, err
	}
	src := pipeline.BaseSource{Ref: f.baseImage, Name: f.baseName, Registry: reg, CacheDir: cache.BaseLayers()}
	bases := make([]*pipeline.Base, len(ps))
	for i, p := range ps {
		if !opts.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "nixlayer: reading the base image %s for %s\n", f.baseImage, p.OCI)
		}
		b, err := pipeline.OpenBase(cmd.Context(), src, k, p)
		if err != nil {
			return nil, err
		}
		if len(b.Setuid) > 0 {
			if f.failOnBaseSetuid {
				return nil, fmt.Errorf("the base image holds setuid or setgid files, which --fail-on-base-setuid refuses: %s", strings.Join(b.Setuid, ", "))
			}
			if !opts.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "nixlayer: the base image holds %d setuid or setgid files of its own: %s\n", len(b.Setuid), strings.Join(b.Setuid, ", "))
			}
		}
		bases[i] = b
	}
	return bases, nil
}
