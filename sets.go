package main

import (
	"context"

	"github.com/nixlayer/nixlayer/internal/pipeline"
)

// Set is a package set: a named group of nixpkgs packages.
type Set struct {
	// The set's name, as --sets takes it.
	Name string
	// What the set is for, in one sentence.
	Description string
	// The nixpkgs attributes that the set installs.
	Packages []string
	// Where the set comes from: "builtin", or the project file that
	// defines it.
	Source string
}

// Sets lists the package sets you can name in --sets: the built-in sets,
// then the sets that the project file defines, each with its description
// and the nixpkgs attributes it installs.
func (m *Nixlayer) Sets(ctx context.Context) ([]*Set, error) {
	proj, err := m.project(ctx)
	if err != nil {
		return nil, err
	}
	c, err := pipeline.Catalog(proj)
	if err != nil {
		return nil, err
	}
	var out []*Set
	for _, s := range c.Sets() {
		out = append(out, &Set{Name: s.Name, Description: s.Description, Packages: s.Attrs, Source: s.Source})
	}
	return out, nil
}
