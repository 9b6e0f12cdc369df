package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Request is the flake request for every attribute of the built-in
// catalog, each with the first set that holds it as its origin, and the
// project's overlays (which change out paths, and so the catalog).
func Request(system string, overlays []string) flake.Request {
	req := flake.Request{System: system, Overlays: overlays}
	seen := map[string]bool{}
	for _, s := range sets.Builtin().Sets() {
		req.Sets = append(req.Sets, s.Name)
		for _, a := range s.Attrs {
			if !seen[a] {
				seen[a] = true
				req.Attrs = append(req.Attrs, sets.Attr{Path: a, Origin: s.Name})
			}
		}
	}
	return req
}

// Source is where the catalog's closure data comes from.
type Source struct {
	// Store is the store that "nix path-info" reads the closures from: ""
	// for the local store, after building the catalog, or a binary cache
	// URL, which needs no download.
	Store string
	// Dir is the directory of recorded catalogs; "" records nothing.
	Dir string
}

// StoreName names the store that the closures come from, for people:
// "the local store", or the binary cache's URL.
func (s Source) StoreName() string {
	if s.Store == "" {
		return "the local store"
	}
	return s.Store
}

// Key names the catalog of plan: the sha256 of its system and of every
// attribute with its out path.
func Key(plan *flake.Plan) string {
	h := sha256.New()
	fmt.Fprintf(h, "nixlayer catalog v1\n%s\n", plan.System)
	pkgs := slices.Clone(plan.Packages)
	slices.SortFunc(pkgs, func(a, b flake.Package) int { return strings.Compare(a.Attr, b.Attr) })
	for _, p := range pkgs {
		fmt.Fprintf(h, "%s=%s\n", p.Attr, p.OutPath)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Roots maps each planned attribute to its out path.
func Roots(plan *flake.Plan) map[string]string {
	roots := make(map[string]string, len(plan.Packages))
	for _, p := range plan.Packages {
		roots[p.Attr] = p.OutPath
	}
	return roots
}

// Load returns the catalog of plan, which w planned: from the record in
// s.Dir if there is one, or else from s.Store, or else (when s.Store is
// the local store, or when the binary cache lacks a path or cannot be
// reached) from the local store after building the catalog. It records
// what it read. A damaged record is removed and read again, so one bad
// file never fails later builds. recorded tells whether the record was
// used.
func (s Source) Load(ctx context.Context, d *nix.Driver, w *flake.Work, plan *flake.Plan) (c layers.Catalog, recorded bool, err error) {
	if c, ok, err := s.Recorded(plan); err != nil || ok {
		return c, ok, err
	}
	roots := Roots(plan)
	paths := slices.Sorted(maps.Values(roots))
	var g *nix.Closure
	if s.Store != "" {
		q := *d
		q.Store = s.Store
		// A cache that lacks a path (one an overlay changed, say) or
		// cannot be reached leaves the local store.
		g, err = q.PathInfo(ctx, slices.Compact(paths)...)
		if _, nixFailed := errors.AsType[*nix.CommandError](err); err != nil && !nixFailed {
			return layers.Catalog{}, false, fmt.Errorf("reading the catalog's closures from %s: %w", s.Store, err)
		}
	}
	if g == nil {
		if _, err := w.Build(ctx, d, plan); err != nil {
			return layers.Catalog{}, false, fmt.Errorf("building the catalog: %w", err)
		}
		if g, err = d.PathInfo(ctx, slices.Compact(paths)...); err != nil {
			return layers.Catalog{}, false, fmt.Errorf("reading the catalog's closures from the local store: %w", err)
		}
	}
	c = layers.Catalog{Roots: roots, Graph: g}
	if s.Dir != "" {
		if err := write(s.file(plan), c); err != nil {
			return layers.Catalog{}, false, err
		}
	}
	return c, false, nil
}

// file is the record of plan's catalog in s.Dir.
func (s Source) file(plan *flake.Plan) string {
	return filepath.Join(s.Dir, "catalog-"+Key(plan)+".json")
}

// Recorded returns the catalog of plan from its record in s.Dir, and
// whether there was one. A damaged record (a disk error, an editor, a
// truncated write by a system without atomic renames) is not the catalog:
// Recorded removes it and reports none, so that the catalog is read again
// from the store and recorded anew.
func (s Source) Recorded(plan *flake.Plan) (layers.Catalog, bool, error) {
	if s.Dir == "" {
		return layers.Catalog{}, false, nil
	}
	atomic.Sweep(s.Dir, "")
	file := s.file(plan)
	c, err := read(file, plan)
	switch {
	case err == nil:
		return c, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return layers.Catalog{}, false, nil
	}
	if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return layers.Catalog{}, false, fmt.Errorf("removing the damaged record %s: %w", file, err)
	}
	return layers.Catalog{}, false, nil
}

// read reads a recorded catalog, and checks that it is plan's.
func read(file string, plan *flake.Plan) (layers.Catalog, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return layers.Catalog{}, err
	}
	var c layers.Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return layers.Catalog{}, fmt.Errorf("reading the recorded catalog %s: %w", file, err)
	}
	for attr, out := range Roots(plan) {
		if c.Roots[attr] != out {
			return layers.Catalog{}, fmt.Errorf("reading the recorded catalog %s: %s is %q there, but the plan has %q", file, attr, c.Roots[attr], out)
		}
	}
	return c, nil
}

// write records c in file atomically: a reader never sees half a file.
func write(file string, c layers.Catalog) error {
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding the catalog: %w", err)
	}
	if err := atomic.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("recording the catalog: %w", err)
	}
	return nil
}
