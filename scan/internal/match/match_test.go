package match_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/scan/internal/match"
	"github.com/nixlayer/nixlayer/scan/internal/policy"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// outcome is what a test checks of a finding.
type outcome struct {
	ID, StorePath, Match string
	Level                policy.Level
	Counts               bool
	Suppressed           string
	Low                  bool
}

func outcomes(fs []match.Finding) []outcome {
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
	res, err := match.Scan(t.Context(), scantest.Document(), archive, match.Options{DB: db, Now: time.Unix(1, 0), Tmp: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome{
		{scantest.ZlibGit, scantest.ZlibPath, match.ByGit, policy.Critical, true, "", false},
		{scantest.GoText, scantest.ShfmtPath, match.ByImage, policy.High, true, "", false},
		{scantest.Pip, scantest.PipPath, match.ByImage, policy.Medium, true, "", false},
		{scantest.ZlibZero, scantest.ZlibPath, match.ByGit, policy.Critical, false, "", true},
		{scantest.Shadow, scantest.ShadowPath, match.ByGit, policy.Low, false, "patched by shadow-CVE-2023-29383.patch", false},
	}
	if diff := cmp.Diff(want, outcomes(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range res.Findings {
		switch f.ID {
		case scantest.ZlibZero:
			if want := "matched by an introduced: 0 GIT range listing tag v1.2.13, but the record's version range [1.2.0, 1.2.12) excludes version 1.2.13.dfsg"; f.LowConfidence != want {
				t.Errorf("low confidence reason %q, want %q", f.LowConfidence, want)
			}
		case scantest.GoText:
			if f.Package.Name != "golang.org/x/text" || f.Package.Version != "0.3.7" || f.Package.Ecosystem != "Go" || f.Severity.Score != 7.5 {
				t.Errorf("Go finding %+v", f)
			}
		case scantest.ZlibGit:
			if f.Package.Repository != scantest.ZlibRepo || f.Package.Tag != scantest.ZlibTag || f.Package.Commit != scantest.ZlibCommit || f.Severity.Score != 9.8 || len(f.Record) == 0 {
				t.Errorf("zlib finding %+v", f)
			}
		}
	}
	// pip names a repository and a tag but no commit.
	if diff := cmp.Diff([]string{scantest.PipPath}, res.Unmatched); diff != "" {
		t.Errorf("unmatched (-want +got):\n%s", diff)
	}
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
	res, err := match.Scan(t.Context(), scantest.Document(), archive, match.Options{DB: db, Ignores: ig, Now: now, Tmp: t.TempDir()})
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
	res, err := match.Scan(t.Context(), doc, "", match.Options{DB: db, Tmp: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Package.StorePath == scantest.ZlibPath {
			t.Errorf("zlib matched without its component: %+v", f)
		}
	}
	var empty sbom.Document
	if res, err := match.Scan(t.Context(), &empty, "", match.Options{DB: db, Tmp: t.TempDir()}); err != nil || len(res.Findings) != 0 {
		t.Errorf("an empty SBOM: %+v, %v", res, err)
	}
}
