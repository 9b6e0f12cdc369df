package update

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// ProgramScanner is the Scanner that runs nixlayer-scan, the scan
// module's program, on the SBOM of each pin's catalog: every store path of
// the closure of every catalog attribute, matched by source repository,
// tag and commit. No image is built, so the language packages inside store
// paths (which only an image scan finds) are not matched.
type ProgramScanner struct {
	// Program is nixlayer-scan.
	Program string
	// Args are its flags beyond those Scan sets (the SBOM, the JSON
	// output on standard output and the threshold): the OSV databases'
	// DB or Cache.
	Args scanner.Args
	// Driver reads the derivations of a catalog built in its store.
	Driver *nix.Driver
	// Stderr, when set, gets the scanner's warnings.
	Stderr io.Writer
	// Tmp is where the SBOM is written ("" for the system's).
	Tmp string
}

// CatalogKind is the kind that the SBOM of a catalog gives, where an
// image's gives "runtime" or "devcontainer".
const CatalogKind = "catalog"

// Scan scans one pin.
func (s ProgramScanner) Scan(ctx context.Context, in ScanInput) ([]changes.Finding, error) {
	doc, err := s.catalogSBOM(ctx, in)
	if err != nil {
		return nil, err
	}
	data, err := doc.Encode()
	if err != nil {
		return nil, err
	}
	wd, err := atomic.WorkDir(s.Tmp)
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer wd.RemoveAll()
	dir := wd.Path
	file := filepath.Join(dir, "sbom.cdx.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return nil, fmt.Errorf("writing the catalog's SBOM: %w", err)
	}
	// Every finding, whatever its level: the report compares them all, and
	// the gate counts from its own threshold.
	args := s.Args
	args.SBOM, args.Outputs, args.FailOn, args.ExitZero = file, []scanner.Output{{Format: scanner.JSON}}, scanner.None, true
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, s.Program, args.Argv()...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		// The scanner's last line says why, in one line, as nixlayer-scan
		// words its errors.
		if msg := lastLine(stderr.String()); msg != "" {
			err = errors.New(msg)
		}
		return nil, fmt.Errorf("running %s: %w", s.Program, err)
	}
	if s.Stderr != nil {
		// Its warnings, such as an ecosystem missing from --db.
		if _, err := s.Stderr.Write(stderr.Bytes()); err != nil {
			return nil, err
		}
	}
	return Findings(stdout.Bytes(), in.Catalog)
}

// catalogSBOM is the SBOM of the pin's catalog closure, with the facts of
// its derivations and of the lenient plan, which has the source of every
// catalog attribute. A catalog read from a binary cache may have no
// derivations in the store (Nix then refuses to show them): its SBOM has
// the plan's facts only, and the store path names' for the paths that are
// no attribute's.
func (s ProgramScanner) catalogSBOM(ctx context.Context, in ScanInput) (*sbom.Document, error) {
	if in.Catalog.Graph == nil {
		return nil, errors.New("scanning a pin: no catalog closure")
	}
	// The plan's own derivations, not the roots' derivers in the store
	// (flake.Plan.Derivations).
	var roots []string
	if in.Plan != nil {
		roots = in.Plan.Derivations()
	}
	if len(roots) == 0 || slices.Contains(roots, "") {
		roots = slices.Compact(slices.Sorted(maps.Values(in.Catalog.Roots)))
	}
	drvs, err := s.Driver.Derivations(ctx, roots...)
	if _, nixFailed := errors.AsType[*nix.CommandError](err); err != nil && (in.Built || !nixFailed) {
		return nil, fmt.Errorf("reading the derivations of the catalog: %w", err)
	}
	meta := sbom.Meta{Kind: CatalogKind, Sets: sets.Builtin().Names(), System: in.System, Nixpkgs: in.Pin.Rev, Epoch: in.Pin.Time()}
	return sbom.New(meta, in.Catalog.Graph, drvs, in.Plan)
}

// Findings reads nixlayer-scan's JSON report of a catalog's SBOM. Each
// finding is named by the catalog attribute whose out path it is in (the
// first, sorted, when several share it), or else by its package's name,
// which the same dependency keeps from one pin to the next. Suppressed
// findings (a patch fixes them) and low-confidence ones are left out, as
// the scan leaves them out of what it counts.
func Findings(data []byte, catalog layers.Catalog) ([]changes.Finding, error) {
	var r scanner.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding nixlayer-scan's report: %w", err)
	}
	attrOf := map[string]string{}
	for _, a := range catalog.Attrs() {
		if _, seen := attrOf[catalog.Roots[a]]; !seen {
			attrOf[catalog.Roots[a]] = a
		}
	}
	out := []changes.Finding{}
	for _, f := range r.Counted() {
		attr, ok := attrOf[f.Package.StorePath]
		if !ok {
			attr = f.Package.Name
		}
		out = append(out, changes.Finding{ID: f.ID, Severity: f.Severity.Level, Attr: attr, Package: f.Package.Name, Version: f.Package.Version})
	}
	return out, nil
}

// lastLine is the last line of s that is not blank.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
