package main

import (
	"context"
	"strings"

	"github.com/nixlayer/nixlayer/internal/report"
	"github.com/nixlayer/nixlayer/internal/selection"
)

// Sets lists the package sets you can name in --sets, as a table: the
// built-in sets, then the sets that the project file defines, each with
// its description and the nixpkgs attributes it installs. It runs no
// container.
func (m *Nixlayer) Sets(ctx context.Context) (string, error) {
	proj, err := m.project(ctx)
	if err != nil {
		return "", err
	}
	c, err := selection.Catalog(proj)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := report.Sets(&b, c); err != nil {
		return "", err
	}
	return b.String(), nil
}
