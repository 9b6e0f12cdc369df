package update

import (
	"context"
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// Scanner finds the vulnerabilities of one pin. It is the hook for
// nixlayer's scanner (nixlayer-scan, a module of its own), which the CLI
// wires; tests give a fake.
type Scanner interface {
	Scan(ctx context.Context, pin ScanInput) ([]changes.Finding, error)
}

// ScanInput is what a Scanner gets of one pin.
type ScanInput struct {
	// Which is "old" or "new".
	Which string
	Pin   lock.Pin
	// Plan is the lenient plan of every catalog attribute: each one's out
	// path, pname, version, source, patches and identifiers.
	Plan *flake.Plan
	// Catalog is the out path of each attribute and the closure graph of
	// them all.
	Catalog layers.Catalog
	// Store is where the store is on disk. A catalog read from a binary
	// cache's narinfo files may have paths that it lacks.
	Store nix.Root
	// Built says that the catalog was to be built in Store, so the
	// derivations of its paths are there too; otherwise it was read from a
	// binary cache, which may have given it (or may have lacked it, and
	// then it was built).
	Built bool
	// System is the Nix system of the catalog, such as "x86_64-linux".
	System string
}

// vulnerabilities scans both pins and compares their findings.
func (o *Options) vulnerabilities(ctx context.Context, before, after *side) (*changes.Vulnerabilities, error) {
	var found [2][]changes.Finding
	for i, s := range []*side{before, after} {
		o.progress("scanning the %s pin for vulnerabilities", s.which)
		fs, err := o.Scanner.Scan(ctx, ScanInput{Which: s.which, Pin: s.pin, Plan: s.plan, Catalog: s.catalog, Store: o.Driver.Root(),
			Built: o.Catalog.Store == "", System: o.System})
		if err != nil {
			return nil, fmt.Errorf("scanning the %s pin for vulnerabilities: %w", s.which, err)
		}
		found[i] = fs
	}
	threshold := o.Threshold
	if threshold == scanner.Unknown {
		threshold = scanner.DefaultThreshold
	}
	return changes.CompareFindings(found[0], found[1], threshold), nil
}

// findingIDs names findings for a message, the first few.
func findingIDs(fs []changes.Finding) string {
	const named = 5
	var ids []string
	for _, f := range fs[:min(len(fs), named)] {
		ids = append(ids, f.ID+" in "+f.Attr)
	}
	if len(fs) > named {
		ids = append(ids, fmt.Sprintf("and %d more", len(fs)-named))
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}
