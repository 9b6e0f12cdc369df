package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Severity is a threshold, as CVSS names levels: the findings at and
// above it fail a scan's assert, and count in an update's gate. A finding
// whose record rates nothing is at every level but NONE.
type Severity string

// The values are literals, not internal/scanner's names: the engine
// deletes internal/ before it reads the module's types (TestDefaults
// keeps them equal to internal/scanner's thresholds, TestEnumLiterals
// keeps them literals).
const (
	// No finding: nothing fails, and every finding is reported.
	SeverityNone Severity = "NONE"
	// LOW (a CVSS base score of 0.1 to 3.9) and above.
	SeverityLow Severity = "LOW"
	// MEDIUM (4.0 to 6.9) and above.
	SeverityMedium Severity = "MEDIUM"
	// HIGH (7.0 to 8.9) and above, as the scans of CI fail.
	SeverityHigh Severity = "HIGH"
	// CRITICAL (9.0 to 10.0) only.
	SeverityCritical Severity = "CRITICAL"
)

// ReportFormat is a format of a scan's report.
type ReportFormat string

// The values are literals, as Severity's are (TestDefaults keeps them
// equal to internal/scanner's formats). The engine names each member
// after its constant, without the type's name, in capitals: Cyclonedx,
// not CycloneDX, so that the member is CYCLONEDX, which the command
// line's --format cyclonedx names.
const (
	// The findings with their OSV records, as JSON.
	ReportFormatJSON ReportFormat = "json"
	// SARIF 2.1.0, for GitHub code scanning.
	ReportFormatSARIF ReportFormat = "sarif"
	// A markdown summary, for a job summary or a pull request.
	ReportFormatMarkdown ReportFormat = "markdown"
	// The image's SBOM, CycloneDX 1.6 JSON.
	ReportFormatCyclonedx ReportFormat = "cyclonedx"
)

// Scan reports the OSV vulnerabilities of an image: one it builds (of
// --kind, with --sets and --packages), one it pulls (--image-ref), or a
// container you give it. It matches the Nix packages of the image's whole
// closure from the SBOM nixlayer put in the image (by source repository,
// tag and commit, never by name), and the Python, Node.js, Go and Rust
// packages in its store paths; a vulnerability a package's patches name is
// suppressed. It returns the report first; assert on it fails above the
// threshold.
//
// It is cached for the session only: without --db it downloads the OSV
// databases, which change every day, so a week-old answer would hide new
// vulnerabilities.
//
// +cache="session"
func (m *Nixlayer) Scan(
	ctx context.Context,
	// The kind of image to build and scan: devcontainer or runtime.
	//
	// +optional
	kind Kind,
	// The sets of the image to build, separated by commas. The default is
	// the kind's.
	//
	// +optional
	sets string,
	// More nixpkgs attributes for the image to build.
	//
	// +optional
	packages []string,
	// An image to pull and scan instead, such as
	// ghcr.io/acme/app/runtime:latest. It must be an image nixlayer built,
	// which carries its SBOM.
	//
	// +optional
	imageRef string,
	// A container to scan instead, such as one this module's runtime
	// returned, with an application added.
	//
	// +optional
	container *dagger.Container,
	// The platform of the image to build or pull: linux/amd64 or
	// linux/arm64. The default is the engine's own.
	//
	// +optional
	platform dagger.Platform,
	// The OSV databases to use, offline, as osv-scanner lays them out:
	// osv-scalibr/<Ecosystem>/all.zip. Without it, the scan downloads the
	// databases it needs.
	//
	// +optional
	db *dagger.Directory,
	// The level at and above which a finding fails assert: NONE, LOW,
	// MEDIUM, HIGH or CRITICAL.
	//
	// +default="HIGH"
	failOn Severity,
	// An ignore file in osv-scanner.toml format: [[IgnoredVulns]] with id,
	// ignoreUntil and reason.
	//
	// +optional
	ignore *dagger.File,
) (*ScanReport, error) {
	// sets and container name the arguments, as the command line spells
	// them, so the work is in scan, where they do not hide the packages.
	return m.scan(ctx, scanRequest{kind: kind, spec: sets, packages: packages, imageRef: imageRef, ctr: container,
		platform: platform, db: db, failOn: failOn, ignore: ignore})
}

// scanRequest is Scan's arguments.
type scanRequest struct {
	kind           Kind
	spec, imageRef string
	packages       []string
	ctr            *dagger.Container
	platform       dagger.Platform
	db             *dagger.Directory
	failOn         Severity
	ignore         *dagger.File
}

func (m *Nixlayer) scan(ctx context.Context, r scanRequest) (*ScanReport, error) {
	level, err := scanner.ParseThreshold(string(r.failOn))
	if err != nil {
		return nil, usererr.Errorf("--fail-on: %v", err)
	}
	given := 0
	for _, g := range []bool{r.kind != "", r.imageRef != "", r.ctr != nil} {
		if g {
			given++
		}
	}
	if given != 1 {
		return nil, usererr.Errorf("scanning: give one of --kind (to build an image), --image-ref or --container")
	}
	p, err := target(ctx, r.platform)
	if err != nil {
		return nil, err
	}
	var image *dagger.File
	switch {
	case r.kind != "":
		b, err := m.builds(ctx, r.kind, r.spec, r.packages, p)
		if err != nil {
			return nil, err
		}
		if image, err = b.archive(ctx, p); err != nil {
			return nil, err
		}
	case r.imageRef != "":
		image = dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.OCI)}).From(r.imageRef).AsTarball()
	default:
		image = r.ctr.AsTarball()
	}
	engine, err := target(ctx, "")
	if err != nil {
		return nil, err
	}
	in := inputs{m: m, image: image, database: r.db, ignore: r.ignore}
	if in.scanner, err = in.outputFile(ctx, container.GoBuild(m.GoImage, engine, container.ScannerProgram)); err != nil {
		return nil, err
	}
	name := r.imageRef
	switch {
	case r.kind != "":
		name = kind.Kind(r.kind).Describe(r.spec, r.packages) + " (" + p.OCI + ")"
	case r.ctr != nil:
		name = "the container given (" + p.OCI + ")"
	}
	plan := container.ScanPlan(m.NixImage, container.Scan{FailOn: level, Database: r.db != nil, Ignore: r.ignore != nil, Platform: engine, Name: name})
	out, err := in.outputDir(ctx, plan)
	if err != nil {
		return nil, err
	}
	return &ScanReport{Output: out, FailOn: level.String()}, nil
}

// ScanReport is the result of a scan: its findings in several formats,
// and the threshold assert judges them by.
type ScanReport struct {
	// The scanner's outputs.
	//
	// +private
	Output *dagger.Directory
	// The threshold, such as HIGH.
	FailOn string
}

// Report returns the report in a format: json (the findings with their
// OSV records), sarif (for GitHub code scanning), markdown (for a job
// summary or a pull request) or cyclonedx (the image's SBOM).
func (r *ScanReport) Report(
	// The format: json, sarif, markdown or cyclonedx.
	//
	// +default="json"
	format ReportFormat,
) (*dagger.File, error) {
	f, err := scanner.ParseFormat(string(format))
	if err != nil {
		return nil, usererr.Errorf("--format: %v", err)
	}
	for _, o := range container.ScanOutputs {
		if o.Format == f {
			return r.Output.File(o.File), nil
		}
	}
	return nil, fmt.Errorf("reading the scan's %s output: the scan writes none", f)
}

// Sbom returns the image's SBOM, CycloneDX 1.6 JSON: a component per store
// path of its closure.
func (r *ScanReport) Sbom() (*dagger.File, error) { return r.Report(ReportFormatCyclonedx) }

// Summary returns the markdown summary: a verdict, the findings by
// severity, then those suppressed, with their reasons.
func (r *ScanReport) Summary(ctx context.Context) (string, error) {
	f, err := r.Report(ReportFormatMarkdown)
	if err != nil {
		return "", err
	}
	return f.Contents(ctx)
}

// Findings returns how many findings count: neither suppressed by a patch
// or an ignore entry, nor of low confidence.
func (r *ScanReport) Findings(ctx context.Context) (int, error) {
	v, err := r.verdict(ctx)
	if err != nil {
		return 0, err
	}
	return len(v.Counted()), nil
}

// Assert fails when a finding that counts is at or above the threshold,
// saying how many and which.
func (r *ScanReport) Assert(ctx context.Context) error {
	v, err := r.verdict(ctx)
	if err != nil {
		return err
	}
	if !v.Failed {
		return nil
	}
	return errors.New(failure(v))
}

// verdict reads the scanner's JSON output.
func (r *ScanReport) verdict(ctx context.Context) (*scanner.Report, error) {
	f, err := r.Report(ReportFormatJSON)
	if err != nil {
		return nil, err
	}
	data, err := f.Contents(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the scan's findings: %w", err)
	}
	var v scanner.Report
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return nil, fmt.Errorf("reading the scan's findings: %w", err)
	}
	return &v, nil
}

// failure is assert's one line: the findings that count, by ID and level.
func failure(v *scanner.Report) string {
	var ids []string
	for _, f := range v.Counted() {
		ids = append(ids, f.ID+" ("+f.Severity.Level.String()+")")
	}
	return fmt.Sprintf("the scan found vulnerabilities at or above %s: %s", v.Threshold, strings.Join(ids, ", "))
}
