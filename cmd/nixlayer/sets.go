package main

import (
	"bytes"
	"os"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layerstats"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/report"
	"github.com/nixlayer/nixlayer/internal/selection"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

func newSetsCmd(opts *options) *cobra.Command {
	var stats bool
	var f catalogFlags
	cmd := &cobra.Command{
		Use:   "sets [--stats]",
		Short: "List the package sets, their descriptions and attributes",
		Long: `List the package sets in canonical order: the built-in ones, then the
project's. Compose them with --sets, as in --sets base,python.

--stats reads the pinned catalog instead, as a build does (from the cache
when an earlier build recorded it, or else with Nix, building the catalog
unless --catalog-store gives a binary cache), and says how it fits the
layer budget: its signature groups (store paths that the same catalog
attributes bring in, large paths alone), the blocks the budget has room
for, the merges that glue groups together when there are more, and the
headroom before the first merge. Merges are priced by the sets, the
project's among them: a merge of groups that the same sets bring in gives
no image made of the sets any bloat.`,
		Example: `  nixlayer sets
  nixlayer sets --stats --nixpkgs ./testdata/universe`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stats {
				return setsStats(cmd, opts, f)
			}
			project, err := opts.loadProject()
			if err != nil {
				return err
			}
			c, err := selection.Catalog(project)
			if err != nil {
				return err
			}
			var out bytes.Buffer
			if opts.json {
				err = report.JSON(&out, c.Sets())
			} else {
				err = report.Sets(&out, c)
			}
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out.Bytes())
			return err
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&stats, "stats", false, "say how the pinned catalog fits the layer budget, for the project's sets (runs Nix)")
	f.add(fl)
	opts.nixFlags(fl)
	opts.platformFlag(fl)
	return cmd
}

// setsStats prints the statistics of the catalog's partitioning.
func setsStats(cmd *cobra.Command, opts *options, f catalogFlags) error {
	p, err := opts.target()
	if err != nil {
		return err
	}
	// The catalog's request takes the system and the project's overlays
	// from an image's.
	_, req, err := opts.selection(kind.Runtime.DefaultSets(), nil, p)
	if err != nil {
		return err
	}
	partitionSets, err := opts.partitionSets()
	if err != nil {
		return err
	}
	cache, err := cacheDir(f.cache)
	if err != nil {
		return err
	}
	d, err := opts.installedDriver(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	im := pipeline.Image{Request: req, Catalog: catalog.Source{Store: f.catalogStore}, CacheDir: cache, Sets: partitionSets}
	if !opts.quiet {
		im.Progress = cmd.ErrOrStderr()
	}
	c, part, err := im.Partition(cmd.Context(), d, nixflake.Files, os.TempDir())
	if err != nil {
		return err
	}
	s := layerstats.New(p.System, c, part, partitionSets)
	var out bytes.Buffer
	if opts.json {
		err = report.JSON(&out, s)
	} else {
		err = layerstats.Write(&out, s)
	}
	if err != nil {
		return err
	}
	_, err = cmd.OutOrStdout().Write(out.Bytes())
	return err
}
