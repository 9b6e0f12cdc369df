package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/usererr"
	"github.com/nixlayer/nixlayer/scan/internal/imagefile"
	"github.com/nixlayer/nixlayer/scan/internal/match"
	"github.com/nixlayer/nixlayer/scan/internal/osvdb"
	"github.com/nixlayer/nixlayer/scan/internal/policy"
	"github.com/nixlayer/nixlayer/scan/internal/report"
)

// scan runs one scan: read every input, match, render every output, and
// only then write them, so that a failure leaves no output behind.
func scan(ctx context.Context, args []string, e env) error {
	f, err := parseFlags(args, e.stderr, e.getenv)
	if err != nil {
		return err
	}
	var ignores *policy.Ignores
	if f.ignore != "" {
		if ignores, err = policy.LoadIgnores(f.ignore); err != nil {
			return err
		}
	}
	// Without an image, the SBOM is all there is to scan: its Nix
	// packages, and no language packages.
	var img *imagefile.Image
	archive := ""
	if f.image != "" {
		if img, err = imagefile.Open(f.image, os.TempDir()); err != nil {
			return err
		}
		defer img.Close()
		archive = img.Archive
	}
	data, err := readSBOM(img, f.sbomFile)
	if err != nil {
		return err
	}
	doc, err := sbom.Decode(data)
	if err != nil {
		return usererr.Errorf("%w", err)
	}
	db, warnings, err := database(ctx, f, e)
	if err != nil {
		return err
	}
	res, err := match.Scan(ctx, doc, archive, match.Options{DB: db, Ignores: ignores, Now: e.now,
		Online: f.online, API: e.apiURL, Client: e.client})
	if err != nil {
		return err
	}
	res.Warnings = append(warnings, res.Warnings...)
	s := &report.Scan{Image: cmp.Or(f.name, f.image, f.sbomFile), Threshold: f.failOn, SBOM: data, Components: len(doc.Components), Result: res}
	rendered := make([][]byte, len(f.outputs))
	for i, out := range f.outputs {
		if rendered[i], err = report.Render(out.Format, s); err != nil {
			return err
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "nixlayer-scan: warning: %s\n", w)
	}
	// Files first, each written under a temporary name beside it (see
	// atomic.OpenOutput: a device or a pipe is written directly), then
	// renamed all at once, so that no output is left half written.
	var opened []atomic.Output
	defer func() {
		for _, o := range opened {
			if o != nil {
				o.Abort()
			}
		}
	}()
	for i, out := range f.outputs {
		if out.File == "" || out.File == "-" {
			continue
		}
		o, err := atomic.OpenOutput(out.File)
		if err != nil {
			return fmt.Errorf("writing %s: %w", out.File, err)
		}
		opened = append(opened, o)
		if _, err := o.Write(rendered[i]); err != nil {
			return fmt.Errorf("writing %s: %w", out.File, err)
		}
	}
	for i, o := range opened {
		if err := o.Commit(0o644); err != nil {
			return fmt.Errorf("writing the outputs: %w", err)
		}
		opened[i] = nil
	}
	for i, out := range f.outputs {
		if out.File == "" || out.File == "-" {
			if _, err := e.stdout.Write(rendered[i]); err != nil {
				return fmt.Errorf("writing the %s output: %w", out.Format, err)
			}
		}
	}
	if n := len(s.Failing()); n > 0 {
		fmt.Fprintf(e.stderr, "nixlayer-scan: %d findings at or above %s\n", n, f.failOn)
		if !f.exitZero {
			return errFailed
		}
	}
	return nil
}

// readSBOM reads the SBOM from file, or else from the image.
func readSBOM(img *imagefile.Image, file string) ([]byte, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, usererr.Errorf("reading the SBOM: %w", err)
		}
		return data, nil
	}
	data, err := img.SBOM()
	if errors.Is(err, imagefile.ErrNoSBOM) {
		return nil, usererr.Errorf("%w", err)
	}
	return data, err
}

// database returns the directory of the OSV databases: --db, checked, or
// the cache after downloading what changed.
func database(ctx context.Context, f *flags, e env) (string, []string, error) {
	if f.db != "" {
		missing, err := osvdb.Check(f.db)
		if err != nil {
			return "", nil, err
		}
		var warnings []string
		for _, eco := range missing {
			warnings = append(warnings, fmt.Sprintf("--db %s has no %s database (%s): %s packages are not matched", f.db, eco, osvdb.ZipPath(f.db, eco), eco))
		}
		return f.db, warnings, nil
	}
	cache := f.cache
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", nil, fmt.Errorf("finding a cache directory (give --cache DIR): %w", err)
		}
		cache = filepath.Join(dir, "nixlayer")
	}
	dir := filepath.Join(cache, "osv")
	warnings, err := osvdb.Download(ctx, e.client, cmp.Or(e.dbURL, osvdb.DefaultURL), dir, osvdb.Ecosystems)
	if err != nil {
		return "", nil, err
	}
	return dir, warnings, nil
}
