package main

import (
	"context"
	"strings"

	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/report"
)

// Sets lists the package sets you can name in --sets: the built-in sets,
// then the sets that the project file defines. Each comes with its
// description and the nixpkgs attributes it installs.
func (m *Nixlayer) Sets(ctx context.Context) (string, error) {
	proj, err := m.project(ctx)
	if err != nil {
		return "", err
	}
	c, err := pipeline.Catalog(proj)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := report.Sets(&b, c); err != nil {
		return "", err
	}
	return b.String(), nil
}
