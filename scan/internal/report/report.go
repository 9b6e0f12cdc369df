package report

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/match"
)

// Scan is what the reports are about.
type Scan struct {
	// Image is the scanned image, as the user named it.
	Image string
	// Threshold is the --fail-on level.
	Threshold scanner.Level
	// SBOM is the image's SBOM, as it was read.
	SBOM []byte
	// Components is the number of components in the SBOM.
	Components int
	*match.Result
}

// Failing are the findings that fail the scan: counted, and at or above
// the threshold.
func (s *Scan) Failing() []scanner.Finding {
	var out []scanner.Finding
	for _, f := range s.Findings {
		if f.Fails(s.Threshold) {
			out = append(out, f)
		}
	}
	return out
}

// Render writes the scan in format f.
func Render(f scanner.Format, s *Scan) ([]byte, error) {
	switch f {
	case scanner.JSON:
		return renderJSON(s)
	case scanner.SARIF:
		return renderSARIF(s)
	case scanner.Markdown:
		var b bytes.Buffer
		writeMarkdown(&b, s)
		return b.Bytes(), nil
	case scanner.CycloneDX:
		return s.SBOM, nil
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

// jsonReport is the JSON output: the report nixlayer's callers read (the
// findings with their OSV records, and the verdict), then the coverage of
// the Nix packages and the warnings.
type jsonReport struct {
	scanner.Report
	// Coverage says how many of the SBOM's Nix packages have a
	// matchable source, by what each is matched, and why the others
	// cannot be.
	Coverage match.Coverage `json:"coverage"`
	Warnings []string       `json:"warnings,omitempty"`
}

func renderJSON(s *Scan) ([]byte, error) {
	r := jsonReport{Report: scanner.Report{Image: s.Image, Threshold: s.Threshold, Failed: len(s.Failing()) > 0,
		Components: s.Components, Findings: s.Findings}, Coverage: s.Coverage, Warnings: s.Warnings}
	if r.Findings == nil {
		r.Findings = []scanner.Finding{}
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
