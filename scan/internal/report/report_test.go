package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/match"
)

var update = flag.Bool("update", false, "rewrite golden files")

// scanOf is a scan with one finding of each kind.
func scanOf() *Scan {
	zlib := scanner.Package{Name: "zlib", Version: "1.2.13", Ecosystem: "GIT", StorePath: "/nix/store/0a2jkvb6dcq8dmcjrmjnxxf2yb9qwb3r-zlib-1.2.13",
		Repository: "https://github.com/madler/zlib", Tag: "v1.2.13", Key: match.KeyTag}
	return &Scan{Image: "runtime.tar", Threshold: scanner.High, SBOM: []byte("{}\n"), Components: 4, Result: &match.Result{
		Findings: []scanner.Finding{
			{ID: "OSV-1", Aliases: []string{"CVE-2026-1"}, Summary: "a | pipe", Package: zlib, Match: match.ByGit, By: match.ByTag, Listed: "v1.2.13",
				Severity: scanner.Severity{Level: scanner.Critical, Score: 9.8, From: "cvss"}, Record: []byte(`{"id":"OSV-1"}`)},
			{ID: "OSV-2", Package: scanner.Package{Name: "pip", Version: "24.2", Ecosystem: "PyPI", StorePath: "/nix/store/2c4lnxd8gfs0gpfls0lqzzh4zd1sy2d5-pip-24.2"},
				Match: match.ByImage, Severity: scanner.Severity{Level: scanner.Medium, From: "database"}, Record: []byte(`{"id":"OSV-2"}`)},
			{ID: "OSV-3", Package: zlib, Match: match.ByGit, By: match.ByVersion, Listed: "1.2.13", LowConfidence: "matched by an introduced: 0 GIT range",
				Severity: scanner.Severity{Level: scanner.High, Score: 7.5, From: "cvss"}, Record: []byte(`{"id":"OSV-3"}`)},
			{ID: "OSV-4", Aliases: []string{"CVE-2023-29383"}, Package: scanner.Package{Name: "shadow", Version: "4.13", Ecosystem: "GIT", StorePath: "/nix/store/1b3kmwc7fdr9fndkrnkpyyg3zc0rxc4s-shadow-4.13",
				Repository: "https://github.com/shadow-maint/shadow", Tag: "4.13", Key: match.KeyRule, Rule: "github-release"},
				Match: match.ByGit, By: match.ByTag, Listed: "4.13", Suppressed: "patched by shadow-CVE-2023-29383.patch", Severity: scanner.Severity{Level: scanner.Low, Score: 3.3, From: "cvss"}, Record: []byte(`{"id":"OSV-4"}`)},
		},
		Warnings: []string{"osv-scanner.toml: the ignore entry for OSV-9 expired on 2026-01-01: reporting it again"},
		Coverage: match.Coverage{Matchable: 2, Total: 4, ByKey: map[string]int{match.KeyTag: 1, match.KeyRule: 1}, Packages: []match.Covered{
			{StorePath: zlib.StorePath, Name: "zlib", Version: "1.2.13", Key: match.Key{Kind: match.KeyTag, Repository: zlib.Repository, Tag: zlib.Tag}},
			{StorePath: "/nix/store/1b3kmwc7fdr9fndkrnkpyyg3zc0rxc4s-shadow-4.13", Name: "shadow", Version: "4.13",
				Key: match.Key{Kind: match.KeyRule, Repository: "https://github.com/shadow-maint/shadow", Tag: "4.13", Rule: "github-release"}},
			{StorePath: "/nix/store/2c4lnxd8gfs0gpfls0lqzzh4zd1sy2d5-pip-24.2", Name: "pip", Version: "24.2",
				Key: match.Key{Repository: "https://github.com/pypa/pip", Commit: "0123456789abcdef0123456789abcdef01234567", Reason: "its source is commit 0123456789abcdef0123456789abcdef01234567 and names no tag | pipe"}},
			{StorePath: "/nix/store/3d5mpyf9hgv1hqgmv1mr00i5zf2vz3f6-shfmt-3.10.0", Name: "shfmt", Version: "3.10.0", Key: match.Key{Reason: "its derivation has no source"}},
		}},
	}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", file, diff)
	}
}

func TestRenderGolden(t *testing.T) {
	for _, f := range []scanner.Format{scanner.Markdown, scanner.JSON, scanner.SARIF} {
		data, err := Render(f, scanOf())
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "scan.golden."+string(f), data)
	}
	if data, err := Render(scanner.CycloneDX, scanOf()); err != nil || string(data) != "{}\n" {
		t.Errorf("the CycloneDX output is not the SBOM: %q, %v", data, err)
	}
}

func TestFailing(t *testing.T) {
	s := scanOf()
	for level, want := range map[scanner.Level]int{scanner.None: 0, scanner.Critical: 1, scanner.High: 1, scanner.Medium: 2, scanner.Low: 2} {
		s.Threshold = level
		if got := len(s.Failing()); got != want {
			t.Errorf("threshold %v: %d failing, want %d", level, got, want)
		}
	}
}

// TestJSONIsReport checks that the JSON output reads back as the report
// nixlayer's callers read: every finding, and the verdict.
func TestJSONIsReport(t *testing.T) {
	s := scanOf()
	data, err := Render(scanner.JSON, s)
	if err != nil {
		t.Fatal(err)
	}
	var r scanner.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	want := scanner.Report{Image: s.Image, Threshold: s.Threshold, Failed: true, Components: s.Components, Findings: s.Findings}
	// The records come back indented, as the output is.
	compact := cmp.Transformer("compact", func(m json.RawMessage) string {
		var b bytes.Buffer
		if err := json.Compact(&b, m); err != nil {
			return string(m)
		}
		return b.String()
	})
	if diff := cmp.Diff(want, r, compact); diff != "" {
		t.Errorf("the JSON output read back (-want +got):\n%s", diff)
	}
}
