package scanner

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseThreshold(t *testing.T) {
	for in, want := range map[string]Level{"none": None, "LOW": Low, "Medium": Medium, "high": High, "CRITICAL": Critical} {
		if got, err := ParseThreshold(in); err != nil || got != want {
			t.Errorf("ParseThreshold(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "unknown", "UNKNOWN", "severe", "9"} {
		if _, err := ParseThreshold(in); err == nil {
			t.Errorf("ParseThreshold(%q) gave no error", in)
		}
	}
	_, err := ParseThreshold("severe")
	if want := `unknown level "severe": want one of NONE|LOW|MEDIUM|HIGH|CRITICAL`; err == nil || err.Error() != want {
		t.Errorf("ParseThreshold(severe): %v, want %q", err, want)
	}
}

func TestFails(t *testing.T) {
	tests := []struct {
		l, threshold Level
		want         bool
	}{
		{Critical, High, true}, {High, High, true}, {Medium, High, false}, {Low, Low, true}, {None, Low, false},
		{Unknown, Critical, true}, {Critical, None, false}, {Unknown, None, false},
	}
	for _, tt := range tests {
		if got := tt.l.Fails(tt.threshold); got != tt.want {
			t.Errorf("%v.Fails(%v) = %v", tt.l, tt.threshold, got)
		}
	}
	f := Finding{ID: "A", Severity: Severity{Level: Critical}}
	if !f.Fails(High) {
		t.Error("a counted critical finding does not fail HIGH")
	}
	for _, f := range []Finding{{Severity: Severity{Level: Critical}, Suppressed: "patched"}, {Severity: Severity{Level: Critical}, LowConfidence: "over-broad"}} {
		if f.Counts() || f.Fails(Low) {
			t.Errorf("%+v counts", f)
		}
	}
}

// TestLevelJSON checks that a level is its name in JSON, as a value and
// as a map key, both ways.
func TestLevelJSON(t *testing.T) {
	in := struct {
		Threshold Level         `json:"threshold"`
		Counts    map[Level]int `json:"counts"`
	}{High, map[Level]int{Unknown: 1, None: 2, Critical: 3}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"threshold":"HIGH","counts":{"CRITICAL":3,"NONE":2,"UNKNOWN":1}}`; string(data) != want {
		t.Errorf("got %s, want %s", data, want)
	}
	out := in
	out.Threshold, out.Counts = Unknown, nil
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	var l Level
	if err := json.Unmarshal([]byte(`"severe"`), &l); err == nil {
		t.Error("an unknown level's name decoded")
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if got, err := ParseFormat("SARIF"); err != nil || got != SARIF {
		t.Errorf("ParseFormat(SARIF) = %q, %v", got, err)
	}
	if _, err := ParseFormat("html"); err == nil || err.Error() != `unknown format "html": want one of json|sarif|markdown|cyclonedx` {
		t.Errorf("ParseFormat(html): %v", err)
	}
}

// TestArgv checks the command line's one order and spelling; the scan
// module's tests parse it with nixlayer-scan's own flags.
func TestArgv(t *testing.T) {
	a := Args{
		FailOn: Critical, ExitZero: true, Name: "runtime (linux/amd64)", SBOM: "sbom.json", DB: "/osv", Cache: "/cache",
		Ignore: "osv-scanner.toml", Online: true, Outputs: []Output{{JSON, ""}, {SARIF, "results.sarif"}}, Image: "runtime.tar",
	}
	want := []string{
		"--fail-on=CRITICAL", "--exit-zero", "--name=runtime (linux/amd64)", "--sbom=sbom.json", "--db=/osv", "--cache=/cache",
		"--ignore=osv-scanner.toml", "--online", "--format=json", "--format=sarif", "-o", "results.sarif", "runtime.tar",
	}
	if diff := cmp.Diff(want, a.Argv()); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}
	if got := (Args{SBOM: "sbom.json"}).Argv(); !cmp.Equal(got, []string{"--sbom=sbom.json"}) {
		t.Errorf("an SBOM alone, with the defaults: %q", got)
	}
}

// TestReport reads a report as nixlayer-scan writes it (the scan
// module's report tests write theirs with this type).
func TestReport(t *testing.T) {
	data := `{"image": "runtime.tar", "threshold": "HIGH", "failed": true, "components": 3,
	  "findings": [
	    {"id": "CVE-1", "severity": {"level": "CRITICAL", "score": 9.8, "from": "cvss"}, "package": {"name": "zlib", "ecosystem": "GIT", "storePath": "/nix/store/a-zlib"}, "match": "git", "record": {}},
	    {"id": "CVE-2", "severity": {"level": "UNKNOWN"}, "package": {"name": "pip", "ecosystem": "PyPI"}, "match": "image", "lowConfidence": "over-broad", "record": {}},
	    {"id": "CVE-3", "severity": {"level": "LOW"}, "package": {"name": "bash", "ecosystem": "GIT"}, "match": "git", "suppressed": "patched by CVE-3.patch", "record": {}}],
	  "coverage": {"matchable": 2, "total": 3}}`
	var r Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range r.Counted() {
		ids = append(ids, f.ID)
	}
	if r.Threshold != High || !r.Failed || r.Components != 3 || !cmp.Equal(ids, []string{"CVE-1"}) || r.Findings[0].Package.StorePath != "/nix/store/a-zlib" {
		t.Errorf("read %+v, counted %v", r, ids)
	}
}

// TestOutputFlags checks the pairing of --format and -o that both
// nixlayer-scan and nixlayer scan parse with these values.
func TestOutputFlags(t *testing.T) {
	var outs []Output
	format, file := FormatFlag{&outs}, FileFlag{&outs}
	if err := file.Set("x"); err == nil || err.Error() != "-o x has no --format before it" {
		t.Errorf("-o first: %v", err)
	}
	for _, step := range []struct {
		set  func(string) error
		arg  string
		fail bool
	}{{format.Set, "json", false}, {file.Set, "f.json", false}, {file.Set, "g.json", true}, {format.Set, "MARKDOWN", false}, {format.Set, "html", true}} {
		if err := step.set(step.arg); (err != nil) != step.fail {
			t.Errorf("%s: %v", step.arg, err)
		}
	}
	if want := []Output{{JSON, "f.json"}, {Markdown, ""}}; !cmp.Equal(want, outs) {
		t.Errorf("outputs %v, want %v", outs, want)
	}
}
