package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/scanner"
)

// writeMarkdown writes the summary: a verdict, how many Nix packages
// have a matchable source, the counted findings by severity, then the
// low-confidence ones, then the suppressed ones with their reasons, then
// the Nix packages that cannot be matched with why.
func writeMarkdown(w io.Writer, s *Scan) {
	var counted, low, suppressed []scanner.Finding
	for _, f := range s.Findings {
		switch {
		case f.Suppressed != "":
			suppressed = append(suppressed, f)
		case f.LowConfidence != "":
			low = append(low, f)
		default:
			counted = append(counted, f)
		}
	}
	fmt.Fprintf(w, "## nixlayer scan: %s\n\n", cell(s.Image))
	failing := len(s.Failing())
	switch {
	case s.Threshold == scanner.None:
		fmt.Fprintf(w, "%d findings; `--fail-on NONE` never fails.\n\n", len(counted))
	case failing > 0:
		fmt.Fprintf(w, "**Failed**: %d of %d findings are %s or above.\n\n", failing, len(counted), s.Threshold)
	default:
		fmt.Fprintf(w, "**Passed**: no finding is %s or above (%d findings).\n\n", s.Threshold, len(counted))
	}
	fmt.Fprintf(w, "%s", s.Coverage.Summary())
	if n := len(s.Coverage.Unmatchable()); n > 0 {
		fmt.Fprintf(w, "; %d cannot be matched, listed below with why", n)
	}
	fmt.Fprintf(w, ".\n\n")
	fmt.Fprintf(w, "| Severity | Count |\n| --- | --- |\n")
	for _, l := range slices.Backward(scanner.Levels()) {
		n := 0
		for _, f := range counted {
			if f.Severity.Level == l {
				n++
			}
		}
		if n > 0 {
			fmt.Fprintf(w, "| %s | %d |\n", l, n)
		}
	}
	if len(counted) > 0 {
		fmt.Fprintf(w, "\n### Findings\n\n")
		table(w, counted, "Summary", func(f scanner.Finding) string { return f.Summary })
	}
	if len(low) > 0 {
		fmt.Fprintf(w, "\n### Low confidence (not counted)\n\n")
		table(w, low, "Why", func(f scanner.Finding) string { return f.LowConfidence })
	}
	if len(suppressed) > 0 {
		fmt.Fprintf(w, "\n### Suppressed\n\n")
		table(w, suppressed, "Reason", func(f scanner.Finding) string { return f.Suppressed })
	}
	if un := s.Coverage.Unmatchable(); len(un) > 0 {
		fmt.Fprintf(w, "\n### Not matchable\n\n")
		fmt.Fprintf(w, "| Package | Version | Store path | Why |\n| --- | --- | --- | --- |\n")
		for _, p := range un {
			fmt.Fprintf(w, "| %s | %s | `%s` | %s |\n", cell(p.Name), cell(p.Version), cell(p.StorePath), cell(p.Reason))
		}
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(w, "\n### Warnings\n\n")
		for _, warning := range s.Warnings {
			fmt.Fprintf(w, "- %s\n", cell(warning))
		}
	}
}

func table(w io.Writer, fs []scanner.Finding, last string, col func(scanner.Finding) string) {
	fmt.Fprintf(w, "| Severity | ID | Package | Version | Store path | %s |\n| --- | --- | --- | --- | --- | --- |\n", last)
	for _, f := range fs {
		sev := f.Severity.Level.String()
		if f.Severity.Score > 0 {
			sev += fmt.Sprintf(" (%.1f)", f.Severity.Score)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | `%s` | %s |\n", sev, cell(f.ID), cell(f.Package.Name+" ("+f.Package.Ecosystem+")"),
			cell(f.Package.Version), cell(f.Package.StorePath), cell(col(f)))
	}
}

// cell makes s safe in a table cell: one line, no pipes.
func cell(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
}
