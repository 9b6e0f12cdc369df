package scanner

import (
	"fmt"
	"strings"
)

// Format is an output format of nixlayer-scan.
type Format string

// The formats.
const (
	// JSON is the findings with their OSV records: a Report.
	JSON Format = "json"
	// SARIF is SARIF 2.1.0, for GitHub code scanning.
	SARIF Format = "sarif"
	// Markdown is a summary for a job summary or a pull request.
	Markdown Format = "markdown"
	// CycloneDX is the image's SBOM, as the image carries it.
	CycloneDX Format = "cyclonedx"
)

// Formats are the formats, in the order help lists them.
func Formats() []Format { return []Format{JSON, SARIF, Markdown, CycloneDX} }

// FormatNames names the formats for help and errors:
// json|sarif|markdown|cyclonedx.
func FormatNames() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, "|")
}

// ParseFormat reads a format's name, in any case.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: want one of %s", s, FormatNames())
}
