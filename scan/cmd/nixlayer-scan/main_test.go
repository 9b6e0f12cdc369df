package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func runScan(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, env{stdout: &out, stderr: &errb, now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		getenv: func(string) string { return "" }, client: http.DefaultClient})
	return result{code, out.String(), errb.String()}
}

// reportIDs reads the JSON report's findings as ID → how they were weighed.
func reportIDs(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var r scanner.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("the JSON report: %v\n%s", err, data)
	}
	got := map[string]string{}
	for _, f := range r.Findings {
		switch {
		case f.Suppressed != "":
			got[f.ID] = "suppressed: " + f.Suppressed
		case f.LowConfidence != "":
			got[f.ID] = "low confidence"
		default:
			got[f.ID] = "counted"
		}
	}
	return got
}

// TestScanName checks that the report names the image as --name gives it,
// such as the reference the module pulled, rather than the path of the
// archive the scanner was given.
func TestScanName(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	out := filepath.Join(t.TempDir(), "r.json")
	for _, tc := range []struct{ name, want string }{
		{"ghcr.io/acme/app/runtime:latest", "ghcr.io/acme/app/runtime:latest"},
		{"", archive},
	} {
		args := []string{"--db", db, "--exit-zero", "--format", "json", "-o", out, "--format", "markdown", archive}
		if tc.name != "" {
			args = append([]string{"--name", tc.name}, args...)
		}
		r := runScan(t, args...)
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		if title := "## nixlayer scan: " + tc.want + "\n"; !strings.HasPrefix(r.stdout, title) {
			t.Errorf("--name %q: the summary starts %q, want %q", tc.name, strings.SplitN(r.stdout, "\n", 2)[0], title)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var report struct {
			Image string `json:"image"`
		}
		if err := json.Unmarshal(data, &report); err != nil || report.Image != tc.want {
			t.Errorf("--name %q: the JSON report's image is %q (%v), want %q", tc.name, report.Image, err, tc.want)
		}
	}
}

func TestScanOutputs(t *testing.T) {
	archive, sbomData := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	out := t.TempDir()
	file := func(n string) string { return filepath.Join(out, n) }
	r := runScan(t, "--db", db, archive,
		"--format", "json", "-o", file("r.json"), "--format", "sarif", "-o", file("r.sarif"),
		"--format", "cyclonedx", "-o", file("sbom.cdx.json"), "--format", "markdown")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (findings above HIGH); stderr:\n%s", r.code, r.stderr)
	}
	if want := "nixlayer-scan: 2 findings at or above HIGH\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	read := func(n string) []byte {
		data, err := os.ReadFile(file(n))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	want := map[string]string{
		scantest.ZlibGit:  "counted",
		scantest.GoText:   "counted",
		scantest.Pip:      "counted",
		scantest.ZlibZero: "low confidence",
		scantest.Shadow:   "suppressed: patched by shadow-CVE-2023-29383.patch",
	}
	if diff := cmp.Diff(want, reportIDs(t, read("r.json"))); diff != "" {
		t.Errorf("JSON findings (-want +got):\n%s", diff)
	}
	if !bytes.Equal(read("sbom.cdx.json"), sbomData) {
		t.Error("the CycloneDX output is not the image's SBOM")
	}
	validateSARIF(t, read("r.sarif"))
	sarifText := string(read("r.sarif"))
	for _, s := range []string{`"ruleId": "` + scantest.ZlibGit + `"`, scantest.ZlibPath, `"uri": "nix/var/nixlayer/sbom.cdx.json"`,
		`"justification": "patched by shadow-CVE-2023-29383.patch"`, `"security-severity": "9.8"`} {
		if !strings.Contains(sarifText, s) {
			t.Errorf("SARIF lacks %s", s)
		}
	}
	for _, s := range []string{`"coverage": "3 of 6 Nix packages have a matchable source (tag 2, rule 1)"`, `"nixPackages": 6`, `"matchable": 3`,
		`"reason": "` + scantest.CoreutilsNote + `"`} {
		if !strings.Contains(sarifText, s) {
			t.Errorf("SARIF lacks %s", s)
		}
	}
	md := r.stdout
	for _, s := range []string{"**Failed**: 2 of 3 findings are HIGH or above.", "| CRITICAL | 1 |", "| HIGH | 1 |", "| MEDIUM | 1 |",
		"### Low confidence (not counted)", "### Suppressed", "patched by shadow-CVE-2023-29383.patch", "`" + scantest.ShfmtPath + "`",
		"3 of 6 Nix packages have a matchable source (tag 2, rule 1); 3 cannot be matched, listed below with why.",
		"### Not matchable", "| coreutils | 9.5 | `" + scantest.CoreutilsPath + "` | " + scantest.CoreutilsNote + " |"} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
	if strings.Index(md, "### Findings") > strings.Index(md, "### Suppressed") {
		t.Error("the markdown lists suppressed findings before the findings")
	}
}

// validateSARIF checks data against the SARIF 2.1.0 schema, as the module
// go-sarif (which writes the SARIF) holds it, in its source.
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
	if err != nil {
		t.Fatalf("finding the module go-sarif: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pkg", "report", "v210", "sarif", "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	start, end := bytes.IndexByte(src, '`'), bytes.LastIndexByte(src, '`')
	if start < 0 || end <= start {
		t.Fatal("go-sarif's schema.go holds no schema")
	}
	raw := src[start+1 : end]
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the SARIF does not validate against SARIF 2.1.0: %v", err)
	}
}

func writeIgnores(t *testing.T, body string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "osv-scanner.toml")
	scantest.WriteFile(t, f, []byte(body), 0o644)
	return f
}

func TestThreshold(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	ignoreZlibAndGo := writeIgnores(t, `
[[IgnoredVulns]]
id = "`+scantest.ZlibGit+`"
ignoreUntil = 2027-01-01T00:00:00Z
reason = "fixed in the next release"

[[IgnoredVulns]]
id = "CVE-2022-32149"
reason = "the program never parses language tags"
`)
	expired := writeIgnores(t, `
[[IgnoredVulns]]
id = "`+scantest.ZlibGit+`"
ignoreUntil = 2026-01-01
reason = "was waiting for the fix"

[[IgnoredVulns]]
id = "`+scantest.GoText+`"
`)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"default HIGH", nil, 1, "2 findings at or above HIGH"},
		{"CRITICAL", []string{"--fail-on", "critical"}, 1, "1 findings at or above CRITICAL"},
		{"NONE never fails", []string{"--fail-on", "NONE"}, 0, ""},
		{"ignored below HIGH", []string{"--ignore", ignoreZlibAndGo}, 0, ""},
		{"ignored, MEDIUM remains", []string{"--ignore", ignoreZlibAndGo, "--fail-on", "MEDIUM"}, 1, "1 findings at or above MEDIUM"},
		{"expired entry reports again", []string{"--ignore", expired}, 1, "the ignore entry for TEST-ZLIB-GIT expired on 2026-01-01: reporting it again"},
		// Low-confidence and suppressed findings never count: LOW only adds
		// pip's MEDIUM.
		{"LOW", []string{"--fail-on", "LOW"}, 1, "3 findings at or above LOW"},
		// Report first, judge later: the verdict is in the JSON output.
		{"exit zero", []string{"--exit-zero", "--format", "json"}, 0, "2 findings at or above HIGH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runScan(t, append([]string{"--db", db, archive}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.stderr)
			}
			if slices.Contains(tt.args, "--exit-zero") && !strings.Contains(r.stdout, `"failed": true`) && !strings.Contains(r.stdout, `"failed":true`) {
				t.Errorf("--exit-zero: the JSON output does not say it failed:\n%.300s", r.stdout)
			}
		})
	}
}

// TestBadInput checks that each malformed input is one line on stderr,
// exit status 2, and no output at all.
func TestBadInput(t *testing.T) {
	archive, sbomData := scantest.Archive(t, true)
	bare, _ := scantest.Archive(t, false)
	db := scantest.Database(t, scantest.Records)
	dir := t.TempDir()
	put := func(name, data string) string {
		f := filepath.Join(dir, name)
		scantest.WriteFile(t, f, []byte(data), 0o644)
		return f
	}
	badZipDB := t.TempDir()
	scantest.WriteFile(t, filepath.Join(badZipDB, "osv-scalibr", "GIT", "all.zip"), []byte("not a zip"), 0o644)
	badRecordDB := scantest.Database(t, map[string][]string{"GIT": {`{"id": `}})
	noIDDB := scantest.Database(t, map[string][]string{"PyPI": {`{"summary": "no id"}`}})
	tamperedSBOM := bytes.Replace(sbomData, []byte(`"version": "24.2"`), []byte(`"version": "24.3"`), 1)
	tampered := tamperedImage(t, tamperedSBOM, sbomData)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown level", []string{"--db", db, "--fail-on", "severe", archive}, `--fail-on: unknown level "severe": want one of NONE|LOW|MEDIUM|HIGH|CRITICAL`},
		{"unknown format", []string{"--db", db, "--format", "html", archive}, `unknown format "html"`},
		{"-o without --format", []string{"--db", db, "-o", filepath.Join(dir, "x"), archive}, "has no --format before it"},
		{"two outputs on stdout", []string{"--db", db, "--format", "json", "--format", "sarif", archive}, "2 outputs go to standard output"},
		{"no image", []string{"--db", db}, "takes one image"},
		{"unknown flag", []string{"--frobnicate", archive}, "flag provided but not defined: -frobnicate"},
		{"malformed ignore file", []string{"--db", db, "--ignore", put("bad.toml", "[[IgnoredVulns]\nid = 1"), archive}, "ignore file"},
		{"ignore entry without id", []string{"--db", db, "--ignore", put("noid.toml", "[[IgnoredVulns]]\nreason = \"x\""), archive}, "entry 1 of IgnoredVulns has no id"},
		{"unknown ignore key", []string{"--db", db, "--ignore", put("key.toml", "[[IgnoredVulns]]\nid = \"X\"\nuntil = 2020-01-01"), archive}, `unknown key "IgnoredVulns.until"`},
		{"missing ignore file", []string{"--db", db, "--ignore", filepath.Join(dir, "none.toml"), archive}, "reading the ignore file"},
		{"database zip not a zip", []string{"--db", badZipDB, archive}, "zip: not a valid zip file"},
		{"database record not JSON", []string{"--db", badRecordDB, archive}, "not an OSV record"},
		{"database record without id", []string{"--db", noIDDB, archive}, "not an OSV record: no id"},
		{"database without layout", []string{"--db", dir, archive}, "no osv-scalibr directory"},
		{"image tar not an image", []string{"--db", db, put("junk.tar", "this is not a tar file")}, "reading the image archive"},
		{"image missing", []string{"--db", db, filepath.Join(dir, "none.tar")}, "reading the image"},
		{"image without SBOM", []string{"--db", db, bare}, "the image has no SBOM at /nix/var/nixlayer/sbom.cdx.json"},
		{"SBOM not matching its label", []string{"--db", db, tampered}, "but the image's org.nixlayer.sbom label says"},
		{"malformed SBOM file", []string{"--db", db, "--sbom", put("sbom.json", `{"bomFormat": "CycloneDX"`), bare}, "decoding the SBOM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outDir := t.TempDir()
			out := filepath.Join(outDir, "report.json")
			r := runScan(t, append(tt.args, "--format", "json", "-o", out)...)
			if tt.name == "two outputs on stdout" || tt.name == "-o without --format" {
				r = runScan(t, tt.args...)
			}
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			if r.code != 2 || len(lines) != 1 || !strings.HasPrefix(r.stderr, "nixlayer-scan: ") || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line containing %q", r.code, r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
				t.Errorf("wrote %v despite the error", entries)
			}
		})
	}
}

// tamperedImage is the synthetic image whose SBOM file is data but whose
// label is the digest of labelled.
func tamperedImage(t *testing.T, data, labelled []byte) string {
	t.Helper()
	files := map[string][]byte{"nix/var/nixlayer/sbom.cdx.json": data}
	img := scantest.Image(t, files, map[string]string{"org.nixlayer.sbom": digestOf(labelled)})
	f := filepath.Join(t.TempDir(), "tampered.tar")
	if err := tarball.WriteToFile(f, mustTag(t), img); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSBOMFlagAndLayout scans an image without an SBOM given --sbom, and
// the same image as an OCI layout directory: the findings are the same.
func TestSBOMFlagAndLayout(t *testing.T) {
	archive, sbomData := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	sbomFile := filepath.Join(t.TempDir(), "sbom.cdx.json")
	scantest.WriteFile(t, sbomFile, sbomData, 0o644)
	bare, _ := scantest.Archive(t, false)
	img, err := tarball.ImageFromPath(archive, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	lp, err := layout.Write(dir, emptyIndex())
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	var reports []map[string]string
	for _, args := range [][]string{{archive}, {"--sbom", sbomFile, bare}, {dir}} {
		r := runScan(t, append([]string{"--db", db, "--format", "json", "--fail-on", "NONE"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		reports = append(reports, reportIDs(t, []byte(r.stdout)))
	}
	for i, rep := range reports[1:] {
		if diff := cmp.Diff(reports[0], rep); diff != "" {
			t.Errorf("run %d differs from the archive's (-archive +run):\n%s", i+2, diff)
		}
	}
	if len(reports[0]) != 5 {
		t.Errorf("%d findings, want the 5 planted: %v", len(reports[0]), reports[0])
	}
}

// TestSBOMAlone scans an SBOM without its image: the findings matched by
// source are the image's, and the language packages, which only the image
// holds, are not matched.
func TestSBOMAlone(t *testing.T) {
	archive, sbomData := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	sbomFile := filepath.Join(t.TempDir(), "sbom.cdx.json")
	scantest.WriteFile(t, sbomFile, sbomData, 0o644)
	matched := func(args ...string) map[string]string {
		t.Helper()
		r := runScan(t, append([]string{"--db", db, "--format", "json", "--fail-on", "NONE"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		var rep scanner.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if want := args[len(args)-1]; rep.Image != want {
			t.Errorf("%v: the report names %q, want %q", args, rep.Image, want)
		}
		got := map[string]string{}
		for _, f := range rep.Findings {
			got[f.ID] = f.Match
		}
		return got
	}
	withImage := matched(archive)
	bySource := map[string]string{}
	for id, m := range withImage {
		if m == "git" {
			bySource[id] = m
		}
	}
	if len(bySource) == 0 || len(bySource) == len(withImage) {
		t.Fatalf("the image's findings %v: want some matched by source and some in the image", withImage)
	}
	if diff := cmp.Diff(bySource, matched("--sbom", sbomFile)); diff != "" {
		t.Errorf("the SBOM alone (-image's by source +SBOM's):\n%s", diff)
	}
	if r := runScan(t, "--db", db); r.code != 2 || !strings.Contains(r.stderr, "or --sbom alone") {
		t.Errorf("no image and no --sbom: exit %d, %q; want 2 saying what to give", r.code, r.stderr)
	}
}

// TestDownloadUnreachable runs without --db on a machine that cannot reach
// the database host: one line naming the host, exit status 1, no output.
func TestDownloadUnreachable(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	out := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"--cache", t.TempDir(), archive, "--format", "json", "-o", out},
		env{stdout: &stdout, stderr: &stderr, now: time.Unix(1, 0), getenv: func(string) string { return "" },
			client: &http.Client{Timeout: 20 * time.Second}})
	msg := stderr.String()
	if code != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "downloading the OSV database for GIT from osv-vulnerabilities.storage.googleapis.com: ") {
		t.Errorf("exit %d, stderr %q; want exit 1 and one line naming the host", code, msg)
	}
	if _, err := os.Stat(out); err == nil || stdout.Len() > 0 {
		t.Error("wrote output despite the error")
	}
	t.Logf("stderr: %s", msg)
}

func TestHelp(t *testing.T) {
	r := runScan(t, "--help")
	if r.code != 0 || !strings.Contains(r.stderr, "Usage: nixlayer-scan") || !slices.ContainsFunc(strings.Split(r.stderr, "\n"), func(l string) bool { return strings.Contains(l, "-fail-on") }) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestOnline scans with --online against a local fake of osv.dev's API:
// the commit-only libssh2 is asked about by commit, its record is a
// finding, and the coverage counts it; without --online it is listed as
// not matchable, and nothing is asked.
func TestOnline(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var q struct {
			Commit string `json:"commit"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/query" || json.NewDecoder(r.Body).Decode(&q) != nil {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		asked = append(asked, q.Commit)
		if q.Commit != scantest.LibsshCommit {
			w.Write([]byte(`{}`))
			return
		}
		w.Write([]byte(`{"vulns": [{"id": "TEST-LIBSSH2-COMMIT", "modified": "2026-01-01T00:00:00Z", "summary": "libssh2: a planted record",
		  "affected": [{"package": {"ecosystem": "OSS-Fuzz", "name": "libssh2"}, "ranges": [{"type": "GIT", "repo": "` + scantest.LibsshRepo + `.git",
		    "events": [{"introduced": "0"}, {"fixed": "fedcba9876543210fedcba9876543210fedcba98"}]}], "ecosystem_specific": {"severity": "MEDIUM"}}]}]}`))
	}))
	defer srv.Close()
	scan := func(args ...string) (result, map[string]string, map[string]any) {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(t.Context(), append([]string{"--db", db, "--format", "json", "--fail-on", "NONE", archive}, args...),
			env{stdout: &out, stderr: &errb, now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), getenv: func(string) string { return "" },
				client: srv.Client(), apiURL: srv.URL})
		var rep struct {
			Coverage map[string]any `json:"coverage"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errb.String())
		}
		return result{code, out.String(), errb.String()}, reportIDs(t, out.Bytes()), rep.Coverage
	}
	r, ids, cov := scan()
	if r.code != 0 || len(asked) != 0 || ids["TEST-LIBSSH2-COMMIT"] != "" || cov["matchable"] != 3.0 {
		t.Errorf("offline: exit %d, asked %v, findings %v, %v matchable; want 0, nothing asked, none of libssh2, 3", r.code, asked, ids, cov["matchable"])
	}
	r, ids, cov = scan("--online")
	if r.code != 0 || ids["TEST-LIBSSH2-COMMIT"] != "counted" || cov["matchable"] != 4.0 {
		t.Errorf("--online: exit %d, findings %v, %v matchable; want 0, the libssh2 record counted, 4\n%s", r.code, ids, cov["matchable"], r.stderr)
	}
	if diff := cmp.Diff([]string{scantest.LibsshCommit}, asked); diff != "" {
		t.Errorf("--online asked (-want +got):\n%s", diff)
	}
}

// TestOutputsAsUsersExpect writes the outputs as the CLI's are written
// (internal/atomic): all or none of the files, a link's target replaced
// and the link kept, a device written in place.
func TestOutputsAsUsersExpect(t *testing.T) {
	archive, _ := scantest.Archive(t, true)
	db := scantest.Database(t, scantest.Records)
	out := t.TempDir()
	kept := filepath.Join(out, "kept.json")
	scantest.WriteFile(t, kept, []byte("old"), 0o644)
	r := runScan(t, "--db", db, "--exit-zero", archive, "--format", "json", "-o", kept,
		"--format", "sarif", "-o", filepath.Join(out, "missing", "r.sarif"))
	if r.code == 0 {
		t.Fatal("an output in a missing directory did not fail the scan")
	}
	if data, err := os.ReadFile(kept); err != nil || string(data) != "old" {
		t.Errorf("a failed scan changed another output: %q, %v", data, err)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) != 0 {
		t.Errorf("a failed scan left %v", left)
	}

	link := filepath.Join(out, "link.json")
	if err := os.Symlink("kept.json", link); err != nil {
		t.Fatal(err)
	}
	r = runScan(t, "--db", db, "--exit-zero", archive, "--format", "json", "-o", link, "--format", "markdown", "-o", os.DevNull)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if target, err := os.Readlink(link); err != nil || target != "kept.json" {
		t.Errorf("the output replaced the link: %q, %v", target, err)
	}
	if data, err := os.ReadFile(kept); err != nil || !bytes.HasPrefix(data, []byte("{")) {
		t.Errorf("the link's target holds %.20q, %v; want the JSON report", data, err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a device: %v, %v", os.DevNull, fi, err)
	}
}
