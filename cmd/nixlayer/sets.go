package main

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/report"
	"github.com/nixlayer/nixlayer/internal/selection"
)

func newSetsCmd(opts *options) *cobra.Command {
	return &cobra.Command{
		Use:   "sets",
		Short: "List the package sets, their descriptions and attributes",
		Long: `List the package sets in canonical order: the built-in ones, then the
project's. Compose them with --sets, as in --sets base,python.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
}
