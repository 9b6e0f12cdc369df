package report

import (
	"bytes"
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/match"
)

// sbomURI is where results point: the SBOM's path inside the image, as a
// relative URI, for there is no source file of the repository to point at.
var sbomURI = strings.TrimPrefix(sbom.Path, "/")

// renderSARIF writes SARIF 2.1.0 as GitHub code scanning takes it: one
// rule per vulnerability ID (with its security-severity), one result per
// finding naming the package and its store path, at the SBOM's path.
// Suppressed findings carry a suppression, and low-confidence ones are
// notes. The run's properties give the coverage of the Nix packages.
func renderSARIF(s *Scan) ([]byte, error) {
	run := sarif.NewRunWithInformationURI("nixlayer-scan", "https://github.com/nixlayer/nixlayer")
	rules := map[string]bool{}
	for _, f := range s.Findings {
		if !rules[f.ID] {
			rules[f.ID] = true
			props := sarif.NewPropertyBag().WithTags([]string{"security", "vulnerability"})
			if f.Severity.Score > 0 {
				props.Add("security-severity", strconv.FormatFloat(f.Severity.Score, 'f', 1, 64))
			}
			help := f.Summary
			if help == "" {
				help = f.ID
			}
			run.AddRule(f.ID).WithName(ruleName(f.ID)).
				WithShortDescription(sarif.NewMultiformatMessageString().WithText(help)).
				WithHelpURI("https://osv.dev/vulnerability/" + f.ID).
				WithHelp(sarif.NewMultiformatMessageString().WithText(help + " (aliases: " + strings.Join(f.IDs(), ", ") + ")")).
				WithProperties(props)
		}
		r := run.CreateResultForRule(f.ID).
			WithLevel(level(f)).
			WithMessage(sarif.NewTextMessage(message(f))).
			AddLocation(sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewSimpleArtifactLocation(sbomURI)))).
			WithPartialFingerprints(map[string]string{"nixlayer/v1": f.ID + ":" + f.Package.StorePath + ":" + f.Package.Name})
		props := sarif.NewPropertyBag().Add("storePath", f.Package.StorePath).Add("package", f.Package.Name).
			Add("version", f.Package.Version).Add("ecosystem", f.Package.Ecosystem).Add("match", f.Match)
		if f.LowConfidence != "" {
			props.Add("confidence", "low").Add("lowConfidence", f.LowConfidence)
		}
		r.WithProperties(props)
		if f.Suppressed != "" {
			r.AddSuppression(sarif.NewSuppression().WithKind("external").WithJustification(f.Suppressed))
		}
	}
	run.WithProperties(coverageProperties(s.Coverage))
	rep := sarif.NewReport()
	rep.AddRun(run)
	var b bytes.Buffer
	if err := rep.PrettyWrite(&b); err != nil {
		return nil, fmt.Errorf("writing SARIF: %w", err)
	}
	return b.Bytes(), nil
}

// coverageProperties are the run's properties: the coverage of the Nix
// packages, as its summary, numbers, and the packages that cannot be
// matched with why.
func coverageProperties(c match.Coverage) *sarif.PropertyBag {
	un := []map[string]string{}
	for _, p := range c.Unmatchable() {
		un = append(un, map[string]string{"storePath": p.StorePath, "package": p.Name, "version": p.Version, "reason": p.Reason})
	}
	return sarif.NewPropertyBag().Add("coverage", c.Summary()).Add("nixPackages", c.Total).
		Add("matchable", c.Matchable).Add("notMatchable", un)
}

// ruleName is a rule's name, in the PascalCase SARIF recommends.
func ruleName(id string) string {
	return "Vulnerability" + strings.NewReplacer("-", "", ".", "").Replace(id)
}

// level maps severity to SARIF's levels: an error is what a scan at HIGH
// fails on; a low-confidence match is a note.
func level(f scanner.Finding) string {
	switch {
	case f.LowConfidence != "":
		return "note"
	case f.Severity.Level.Fails(scanner.High):
		return "error"
	case f.Severity.Level == scanner.Medium:
		return "warning"
	}
	return "note"
}

func message(f scanner.Finding) string {
	p := f.Package
	msg := fmt.Sprintf("%s %s (%s) in %s is affected by %s", p.Name, p.Version, p.Ecosystem, p.StorePath, f.ID)
	switch {
	case f.By == match.ByCommit:
		msg += fmt.Sprintf(" (source commit %s, found by osv.dev)", p.Commit)
	case p.Repository != "":
		msg += fmt.Sprintf(" (source %s at tag %s; the record lists %s)", p.Repository, cmp.Or(p.Tag, "none"), f.Listed)
	}
	if f.Summary != "" {
		msg += ": " + f.Summary
	}
	return msg
}
