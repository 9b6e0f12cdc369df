package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layerstats"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/report"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// catalogFlags say where the catalog's closures come from.
type catalogFlags struct {
	cache, catalogStore string
}

func (f *catalogFlags) add(fl *pflag.FlagSet) {
	fl.StringVar(&f.cache, clispec.FlagCache, "", "the blob and catalog cache directory (env NIXLAYER_CACHE; default: the user cache directory)")
	fl.StringVar(&f.catalogStore, clispec.FlagCatalogStore, "", "read the catalog's closures from this binary cache, such as https://cache.nixos.org, instead of building the catalog")
}

// imageFlags are the flags of the commands that build images.
type imageFlags struct {
	setsFlags
	baseFlags
	catalogFlags
	platforms []string
	refresh   bool
}

func (f *imageFlags) add(cmd *cobra.Command, opts *options) {
	f.setsFlags.add(cmd, "comma-separated sets to compose (default: the kind's; see nixlayer sets)")
	fl := cmd.Flags()
	fl.StringSliceVar(&f.platforms, "platforms", nil, "the platforms to build for, comma-separated, such as linux/amd64,linux/arm64 (default: --platform's)")
	f.catalogFlags.add(fl)
	fl.BoolVar(&f.refresh, "refresh", false, "evaluate with Nix again even when an earlier build had the same inputs")
	f.baseFlags.add(fl)
	opts.nixFlags(fl)
	opts.platformFlag(fl)
}

// images is a checked request for images of one kind, one per platform.
type images struct {
	kind      kind.Kind
	spec      string
	platforms []platform.Platform
	cache     cachedir.Dir
	epoch     int64
	// bases are the base image for each platform, or nils.
	bases []*pipeline.Base
}

// check checks everything about the request that can be checked before
// Nix runs, so that bad input fails at once.
func (f *imageFlags) check(cmd *cobra.Command, opts *options, kindName string) (*images, error) {
	k, err := kind.Parse(kindName)
	if err != nil {
		return nil, err
	}
	im := &images{kind: k, spec: f.spec}
	if cmd.Flags().Changed("sets") && f.spec == "" {
		return nil, usagef(`--sets is empty; omit it for the %s image's default sets (%s), or list sets, such as --sets base,python`, k, k.DefaultSets())
	}
	if im.spec == "" {
		im.spec = k.DefaultSets()
	}
	switch {
	case len(f.platforms) > 0 && opts.platform != "":
		return nil, usagef("give --platform or --platforms, not both")
	case len(f.platforms) > 0:
		if im.platforms, err = platform.ParseList(f.platforms); err != nil {
			return nil, err
		}
	default:
		p, err := opts.target()
		if err != nil {
			return nil, err
		}
		im.platforms = []platform.Platform{p}
	}
	if im.epoch, err = sourceDateEpoch(); err != nil {
		return nil, err
	}
	if im.cache, err = cacheDir(f.cache); err != nil {
		return nil, err
	}
	if im.bases, err = f.baseFlags.open(cmd, opts, k, im.platforms, im.cache); err != nil {
		return nil, err
	}
	return im, nil
}

// build builds the images, one platform after another, after checking the
// sets for each.
func (f *imageFlags) build(cmd *cobra.Command, opts *options, im *images) ([]*pipeline.Built, error) {
	partitionSets, err := opts.partitionSets()
	if err != nil {
		return nil, err
	}
	var reqs []pipeline.Image
	for _, p := range im.platforms {
		sel, req, err := opts.selection(im.spec, f.packages, p)
		if err != nil {
			return nil, err
		}
		if err := im.kind.Check(req.Attrs); err != nil {
			return nil, err
		}
		reqs = append(reqs, pipeline.Image{
			Kind: im.kind, Selection: sel, Request: req,
			Catalog: catalog.Source{Store: f.catalogStore}, Sets: partitionSets,
			CacheDir: im.cache, Epoch: im.epoch, Reevaluate: f.refresh, Base: im.bases[len(reqs)],
		})
	}
	d, err := opts.installedDriver(cmd.ErrOrStderr())
	if err != nil {
		return nil, err
	}
	var built []*pipeline.Built
	for i, r := range reqs {
		if !opts.quiet {
			r.Progress = cmd.ErrOrStderr()
			if len(reqs) > 1 {
				fmt.Fprintf(r.Progress, "nixlayer: building the %s image for %s\n", im.kind, im.platforms[i].OCI)
			}
		}
		b, err := pipeline.Build(cmd.Context(), d, nixflake.Files, r, os.TempDir())
		if err != nil {
			return nil, err
		}
		built = append(built, b)
	}
	return built, nil
}

func newBuildCmd(opts *options) *cobra.Command {
	var f imageFlags
	var out pipeline.Outputs
	cmd := &cobra.Command{
		Use:   clispec.CommandBuild + " devcontainer|runtime [--sets base,python] -o image.tar",
		Short: "Build a devcontainer or runtime image from package sets",
		Long: `Build an OCI image of the given sets (and --packages): one layer per group
of store paths that the same catalog packages bring, so that images of any
sets share every layer they have in common, then a customisation layer.

A devcontainer (default sets ` + kind.Devcontainer.DefaultSets() + `) runs as vscode, with sudo,
direnv and single-user Nix. A runtime image (default sets ` + kind.Runtime.DefaultSets() + `) runs as
app (uid 1000) in /app, with no sudo, no Nix and no setuid file.

-o writes one tar file that both "docker load" and OCI tools (skopeo's
oci-archive:, dagger's Container.import) read; --oci-layout writes an OCI
layout directory, which with --platforms holds one image index over the
platforms. Each is written whole or not at all.

The image time is SOURCE_DATE_EPOCH, or else the time of the pinned nixpkgs,
so the same inputs give the same image digest. Compressed store paths are
kept in the cache directory (--cache, env NIXLAYER_CACHE), so a rebuild
compresses only the store paths it has not seen.`,
		Example: `  nixlayer build devcontainer --sets base,devTools,nixTools,python -o devcontainer.tar
  nixlayer build runtime --sets base,python -o runtime.tar --tag ghcr.io/acme/app:1.0
  nixlayer build runtime --platforms linux/amd64,linux/arm64 --oci-layout runtime/
  docker load < runtime.tar`,
		Args: oneKind(clispec.CommandBuild),
		RunE: func(cmd *cobra.Command, args []string) error {
			im, err := f.check(cmd, opts, args[0])
			if err != nil {
				return err
			}
			if out.Archive == "" && out.Layout == "" {
				return usagef("nixlayer build needs -o FILE, --oci-layout DIR, or both")
			}
			if out.Archive != "" && len(im.platforms) > 1 {
				return usagef("-o writes an archive of one image; for %d platforms, write an image index with --oci-layout", len(im.platforms))
			}
			if out.Tag == "" {
				out.Tag = im.kind.DefaultTag()
			}
			if _, err := name.NewTag(out.Tag); err != nil {
				return usagef("--tag %q: %w", out.Tag, err)
			}
			if samePath(out.Archive, out.Layout) {
				return usagef("-o and --oci-layout name the same path, %s: give each its own", out.Archive)
			}
			for _, check := range []error{checkArchive(out.Archive), checkLayout(out.Layout, out.Tag)} {
				if check != nil {
					return check
				}
			}
			// The archive on standard output ("-o -", or /dev/stdout): the
			// summary goes to standard error, where it cannot mix with it.
			summaryTo := cmd.OutOrStdout()
			if toStdout(out.Archive) {
				out.Stdout, summaryTo = cmd.OutOrStdout(), cmd.ErrOrStderr()
				if opts.quiet {
					summaryTo = io.Discard
				}
			}
			built, err := f.build(cmd, opts, im)
			if err != nil {
				return err
			}
			var progress io.Writer
			if !opts.quiet {
				progress = cmd.ErrOrStderr()
			}
			if err := pipeline.Write(cmd.Context(), built, out, progress); err != nil {
				return err
			}
			var buf bytes.Buffer
			if opts.json {
				err = report.JSON(&buf, summaries(built))
			} else {
				err = summary(&buf, built, out)
			}
			if err != nil {
				return err
			}
			_, err = summaryTo.Write(buf.Bytes())
			return err
		},
	}
	f.add(cmd, opts)
	fl := cmd.Flags()
	fl.StringVarP(&out.Archive, clispec.FlagOutput, "o", "", "write the image as a tar file for docker load and OCI tools (- for standard output)")
	fl.StringVar(&out.Layout, clispec.FlagOCILayout, "", "write the image (or, with --platforms, the image index) as an OCI layout directory")
	fl.StringVar(&out.Tag, clispec.FlagTag, "", `the image name in the outputs (default "nixlayer/KIND:latest")`)
	return cmd
}

// oneKind takes the kind of image as the one argument.
func oneKind(command string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("nixlayer %s takes one kind: devcontainer or runtime", command)
		}
		return nil
	}
}

// summaries is the JSON summary: the image's, or with several platforms
// the index's digest and each image's.
func summaries(built []*pipeline.Built) any {
	if len(built) == 1 {
		return pipeline.NewSummary(built[0])
	}
	var images []pipeline.Summary
	for _, b := range built {
		images = append(images, pipeline.NewSummary(b))
	}
	return struct {
		Images []pipeline.Summary `json:"images"`
	}{images}
}

// summary prints what was built, for people.
func summary(w io.Writer, built []*pipeline.Built, out pipeline.Outputs) error {
	var lines [][2]string
	for _, b := range built {
		s := pipeline.NewSummary(b)
		layers := fmt.Sprintf("%d: %d store layers and 1 customisation layer", s.Layers, s.StoreLayers)
		if s.BaseDigest != "" {
			layers = fmt.Sprintf("%d: %d of the base %s, %d store layers and 1 customisation layer", s.Layers, s.BaseLayers, s.BaseDigest, s.StoreLayers)
		}
		lines = append(lines,
			[2]string{"image", fmt.Sprintf("%s %s for %s (%s)", s.Kind, s.Digest, s.Platform, out.Tag)},
			[2]string{"layers", layers},
		)
		if len(s.Added) > 0 {
			lines = append(lines, [2]string{"added", fmt.Sprintf("%s, which every %s image has", strings.Join(s.Added, " "), s.Kind)})
		}
		lines = append(lines,
			[2]string{"size", fmt.Sprintf("%s compressed; closure %s in %d store paths", report.Size(s.Size), report.Size(s.ClosureSize), s.ClosurePaths)},
			[2]string{"cache", fmt.Sprintf("compressed %d store paths (%s), reused %d (%s)", s.PathsCompressed, report.Size(s.BytesCompressed), s.PathsReused, report.Size(s.BytesReused))},
			[2]string{"bloat", fmt.Sprintf("%s beyond the closure; %d merges forced by the layer budget", report.Size(s.Bloat), s.Merges)},
		)
		lines = append(lines, layerstats.GluedLines(s.CatalogGroups, s.CatalogHeadroom, s.Glued)...)
		if len(s.BaseSetuid) > 0 {
			lines = append(lines, [2]string{"setuid", "the base's own: " + strings.Join(s.BaseSetuid, ", ")})
		}
	}
	for _, o := range []string{out.Layout, out.Archive} {
		if o == "-" {
			o = "standard output"
		}
		if o != "" {
			lines = append(lines, [2]string{"wrote", o})
		}
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%-7s %s\n", l[0], l[1]); err != nil {
			return err
		}
	}
	return nil
}
