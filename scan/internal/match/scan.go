package match

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/google/osv-scanner/v2/pkg/osvscanner"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/policy"
)

// Options are what a scan matches against and how it weighs findings.
type Options struct {
	// DB is the directory of the OSV databases, in osv-scanner's
	// osv-scalibr/<Ecosystem>/all.zip layout; it is only read.
	DB string
	// Ignores are the ignore file's entries, or nil.
	Ignores *policy.Ignores
	// Now is the time ignore entries expire against.
	Now time.Time
	// Online asks osv.dev's API (at API, DefaultAPI when empty, through
	// Client) about the Nix packages whose source is a commit and no
	// tag, which the offline database cannot match.
	Online bool
	API    string
	Client *http.Client
}

// Result is what a scan found.
type Result struct {
	// Findings are sorted: counted ones first, then by severity.
	Findings []scanner.Finding
	// Warnings are for the user: expired ignore entries, records that
	// could not be read, and what osv-scanner warned about.
	Warnings []string
	// Coverage is which of the SBOM's Nix packages can be matched, by
	// what, and why the others cannot.
	Coverage Coverage
}

// Scan matches the image's language packages (in the docker archive
// archive, through osv-scanner's image scanning) and the SBOM's Nix
// packages (by their keys, see KeyOf, against the GIT records of the
// database, and with opts.Online by commit against osv.dev's API), and
// weighs every finding.
func Scan(ctx context.Context, doc *sbom.Document, archive string, opts Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	osvMu.Lock()
	defer osvMu.Unlock()
	l := &logs{}
	osvscanner.SetLogger(l)
	defer osvscanner.SetLogger(slog.DiscardHandler)

	res := &Result{Coverage: CoverageOf(doc, opts.Online)}
	var hits []hit
	if archive != "" {
		h, err := imageHits(archive, opts.DB)
		if err != nil {
			return nil, err
		}
		hits = append(hits, h...)
	}
	g, warnings, err := nixHits(ctx, doc, res.Coverage, opts)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warnings...)
	hits = append(hits, g...)
	byPath := map[string]sbom.Component{}
	for _, c := range doc.Components {
		byPath[c.Path] = c
	}
	seen := map[string]bool{}
	warned := map[string]bool{}
	for _, h := range hits {
		f := newFinding(h.vuln, h.pkg, h.match)
		f.By, f.Listed, f.LowConfidence = h.by, h.listed, h.low
		key := f.ID + "\x00" + f.Package.StorePath + "\x00" + f.Package.Name + "\x00" + f.Package.Location
		if seen[key] {
			continue
		}
		seen[key] = true
		c := byPath[f.Package.StorePath]
		f.Suppressed = patchedBy(c, f.IDs())
		active, expired := opts.Ignores.Match(f.IDs(), opts.Now)
		for _, e := range expired {
			if !warned[e.ID] {
				warned[e.ID] = true
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: the ignore entry for %s expired on %s: reporting it again",
					opts.Ignores.File, e.ID, e.Until.UTC().Format(time.DateOnly)))
			}
		}
		if f.Suppressed == "" && active != nil {
			f.Suppressed = ignoredReason(*active)
		}
		res.Findings = append(res.Findings, f)
	}
	sortFindings(res.Findings)
	res.Warnings = append(res.Warnings, l.lines...)
	return res, nil
}

// patchedBy returns "patched by NAME" when one of the component's patches
// names one of ids in its file name, or "".
func patchedBy(c sbom.Component, ids []string) string {
	for _, p := range c.Patches {
		for _, cve := range p.CVEs {
			if slices.Contains(ids, cve) {
				return "patched by " + p.Name
			}
		}
	}
	return ""
}

func ignoredReason(e policy.Ignore) string {
	s := "ignored by " + e.ID + " in the ignore file"
	if !e.Until.IsZero() {
		s += " until " + e.Until.UTC().Format(time.DateOnly)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}
