package match_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/match"
	"github.com/nixlayer/nixlayer/scan/internal/policy"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// outcome is what a test checks of a finding.
type outcome struct {
	ID, StorePath, Match string
	Level                scanner.Level
	Counts               bool
	Suppressed           string
	Low                  bool
}

func outcomes(fs []scanner.Finding) []outcome {
	var out []outcome
	for _, f := range fs {
		out = append(out, outcome{f.ID, f.Package.StorePath, f.Match, f.Severity.Level, f.Counts(), f.Suppressed, f.LowConfidence != ""})
	}
	return out
}

// TestScan scans the synthetic image against the planted records: exactly
// the planted findings come out, suppressed or down-graded as planted.
func TestScan(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	res, err := match.Scan(t.Context(), scantest.Document(), archive, match.Options{DB: db, Now: time.Unix(1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome{
		{scantest.ZlibGit, scantest.ZlibPath, match.ByGit, scanner.Critical, true, "", false},
		{scantest.GoText, scantest.ShfmtPath, match.ByImage, scanner.High, true, "", false},
		{scantest.Pip, scantest.PipPath, match.ByImage, scanner.Medium, true, "", false},
		{scantest.ZlibZero, scantest.ZlibPath, match.ByGit, scanner.Critical, false, "", true},
		{scantest.Shadow, scantest.ShadowPath, match.ByGit, scanner.Low, false, "patched by shadow-CVE-2023-29383.patch", false},
	}
	if diff := cmp.Diff(want, outcomes(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range res.Findings {
		switch f.ID {
		case scantest.ZlibZero:
			if want := "matched by an introduced: 0 GIT range listing tag v1.2.13, but the record's version range [1.2.0, 1.2.12) excludes version 1.2.13"; f.LowConfidence != want {
				t.Errorf("low confidence reason %q, want %q", f.LowConfidence, want)
			}
		case scantest.GoText:
			if f.Package.Name != "golang.org/x/text" || f.Package.Version != "0.3.7" || f.Package.Ecosystem != "Go" || f.Severity.Score != 7.5 {
				t.Errorf("Go finding %+v", f)
			}
		case scantest.ZlibGit:
			if f.Package.Repository != scantest.ZlibRepo || f.Package.Tag != scantest.ZlibTag || f.Package.Key != match.KeyRule || f.Package.Rule != "GitHub release asset" ||
				f.By != match.ByTag || f.Listed != scantest.ZlibTag || f.Severity.Score != 9.8 || len(f.Record) == 0 {
				t.Errorf("zlib finding %+v", f)
			}
		}
	}
	// Every Nix package is in the coverage, matchable or with why not.
	want2 := []coverage{
		{scantest.ZlibPath, match.KeyRule, ""},
		{scantest.ShadowPath, match.KeyTag, ""},
		{scantest.PipPath, match.KeyTag, ""},
		{scantest.ShfmtPath, "", "its derivation has no source"},
		{scantest.LibsshPath, "", scantest.LibsshNote + " (commit " + scantest.LibsshCommit + "); --online asks osv.dev by commit"},
		{scantest.CoreutilsPath, "", scantest.CoreutilsNote},
	}
	if diff := cmp.Diff(want2, coverageOf(res.Coverage)); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
	if got, want := res.Coverage.Summary(), "3 of 6 Nix packages have a matchable source (tag 2, rule 1)"; got != want {
		t.Errorf("coverage %q, want %q", got, want)
	}
}

// coverage is what a test checks of a package's coverage.
type coverage struct{ StorePath, Key, Reason string }

func coverageOf(c match.Coverage) []coverage {
	var out []coverage
	for _, p := range c.Packages {
		out = append(out, coverage{p.StorePath, p.Kind, p.Reason})
	}
	return out
}

// TestScanIgnores checks the ignore entries: an active one suppresses
// with its reason, an expired one no longer does and is warned about.
func TestScanIgnores(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ig, err := policy.ParseIgnores("osv-scanner.toml", []byte(`
[[IgnoredVulns]]
id = "CVE-2022-32149"
ignoreUntil = 2027-01-01
reason = "not reachable"

[[IgnoredVulns]]
id = "`+scantest.ZlibGit+`"
ignoreUntil = 2026-01-01
reason = "waiting for the fix"
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := match.Scan(t.Context(), scantest.Document(), archive, match.Options{DB: db, Ignores: ig, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.ID] = f.Suppressed
	}
	if got[scantest.GoText] != "ignored by CVE-2022-32149 in the ignore file until 2027-01-01: not reachable" {
		t.Errorf("Go finding suppressed %q, want the active ignore entry", got[scantest.GoText])
	}
	if got[scantest.ZlibGit] != "" {
		t.Errorf("zlib finding suppressed %q by an expired entry", got[scantest.ZlibGit])
	}
	want := []string{"osv-scanner.toml: the ignore entry for TEST-ZLIB-GIT expired on 2026-01-01: reporting it again"}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// TestScanWholeClosure checks that a dependency is found only because the
// SBOM covers it: without its component, nothing matches zlib.
func TestScanWholeClosure(t *testing.T) {
	db := scantest.Database(t, scantest.Records)
	doc := scantest.Document()
	doc.Components = doc.Components[1:] // drop zlib, as an SBOM of requested attributes would
	res, err := match.Scan(t.Context(), doc, "", match.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Package.StorePath == scantest.ZlibPath {
			t.Errorf("zlib matched without its component: %+v", f)
		}
	}
	var empty sbom.Document
	if res, err := match.Scan(t.Context(), &empty, "", match.Options{DB: db}); err != nil || len(res.Findings) != 0 {
		t.Errorf("an empty SBOM: %+v, %v", res, err)
	}
}
