package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/scan/internal/input"
	"github.com/nixlayer/nixlayer/scan/internal/match"
	"github.com/nixlayer/nixlayer/scan/internal/policy"
)

// Format is an output format.
type Format string

// The formats.
const (
	JSON      Format = "json"
	SARIF     Format = "sarif"
	Markdown  Format = "markdown"
	CycloneDX Format = "cyclonedx"
)

// Formats lists the formats, for help and errors.
const Formats = "json|sarif|markdown|cyclonedx"

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case JSON, SARIF, Markdown, CycloneDX:
		return f, nil
	}
	return "", input.Errorf("unknown format %q: want one of %s", s, Formats)
}

// Scan is what the reports are about.
type Scan struct {
	// Image is the scanned image, as the user named it.
	Image string
	// Threshold is the --fail-on level.
	Threshold policy.Level
	// SBOM is the image's SBOM, as it was read.
	SBOM []byte
	// Components is the number of components in the SBOM.
	Components int
	*match.Result
}

// Failing are the findings that fail the scan: counted, and at or above
// the threshold.
func (s *Scan) Failing() []match.Finding {
	var out []match.Finding
	for _, f := range s.Findings {
		if f.Counts() && f.Severity.Level.Fails(s.Threshold) {
			out = append(out, f)
		}
	}
	return out
}

// Render writes the scan in format f.
func Render(f Format, s *Scan) ([]byte, error) {
	switch f {
	case JSON:
		return renderJSON(s)
	case SARIF:
		return renderSARIF(s)
	case Markdown:
		var b bytes.Buffer
		writeMarkdown(&b, s)
		return b.Bytes(), nil
	case CycloneDX:
		return s.SBOM, nil
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

// jsonReport is the JSON output: the findings with their OSV records,
// and the coverage of the Nix packages.
type jsonReport struct {
	Image      string          `json:"image"`
	Threshold  string          `json:"threshold"`
	Failed     bool            `json:"failed"`
	Components int             `json:"components"`
	Findings   []match.Finding `json:"findings"`
	// Coverage says how many of the SBOM's Nix packages have a
	// matchable source, by what each is matched, and why the others
	// cannot be.
	Coverage match.Coverage `json:"coverage"`
	Warnings []string       `json:"warnings,omitempty"`
}

func renderJSON(s *Scan) ([]byte, error) {
	r := jsonReport{Image: s.Image, Threshold: s.Threshold.String(), Failed: len(s.Failing()) > 0,
		Components: s.Components, Findings: s.Findings, Coverage: s.Coverage, Warnings: s.Warnings}
	if r.Findings == nil {
		r.Findings = []match.Finding{}
	}
	if r.Coverage.Packages == nil {
		r.Coverage.Packages = []match.Covered{}
	}
	if r.Coverage.ByKey == nil {
		r.Coverage.ByKey = map[string]int{}
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the JSON report: %w", err)
	}
	return append(data, '\n'), nil
}
