package main

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// batsVuln is a planted record for the source bats has at the update's
// second revision, and only there.
const batsVuln = "TEST-BATS"

// batsRecords are the planted records with one more, batsVuln, critical,
// for the source bats has at the update's second revision.
func batsRecords() map[string][]string {
	records := maps.Clone(scantest.Records)
	records["GIT"] = append(slices.Clone(records["GIT"]),
		`{"id": "`+batsVuln+`", "modified": "2026-01-01T00:00:00Z", "summary": "bats: a planted record",
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
		  "affected": [{"ranges": [{"type": "GIT", "repo": "`+updatetest.BatsRepo+`", "events": [{"introduced": "0"}]}],
		    "versions": ["`+updatetest.BatsTag+`"]}]}`)
	return records
}

// TestUpdateVulnerabilities runs nixlayer update-nixpkgs with this
// scanner, on the universe's two revisions and a database where bats (new
// at the second) has a critical vulnerability: the gate refuses the move
// and writes nothing; without the gate the report says what the move
// introduces; moving back fixes it, which the gate lets through.
func TestUpdateVulnerabilities(t *testing.T) {
	testenv.Universe(t)
	testenv.Require(t, "go")
	testenv.Require(t, "git")
	store, nixEnv := testenv.SharedNixEnv(t)
	work := t.TempDir()
	bin, scanBin := filepath.Join(work, "nixlayer"), filepath.Join(work, "nixlayer-scan")
	for _, b := range []struct{ dir, out, pkg string }{{repoRoot(t), bin, "./cmd/nixlayer"}, {".", scanBin, "."}} {
		if out, err := exec.Command("go", "build", "-C", b.dir, "-o", b.out, b.pkg).CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", b.out, err, out)
		}
	}
	u := updatetest.NewUniverse(t)
	dir := updatetest.Flake(t, &nix.Driver{Store: store, Env: nixEnv}, u)
	db := scantest.Database(t, batsRecords())
	update := func(args ...string) (int, string, *changes.Report) {
		t.Helper()
		out := t.TempDir()
		js := filepath.Join(out, "changes.json")
		cmd := exec.Command(bin, append([]string{"update-nixpkgs", "--flake", dir, "-q", "--db", db, "--json", js, "--report", filepath.Join(out, "CHANGES.md")}, args...)...)
		cmd.Env = append(os.Environ(), nixEnv...)
		cmd.Env = append(cmd.Env, "NIXLAYER_STORE="+store, "NIXLAYER_CACHE="+filepath.Join(work, "cache"), "NIXLAYER_SCANNER="+scanBin, "GITHUB_TOKEN=")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := errors.AsType[*exec.ExitError](err); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(js)
		if err != nil {
			return code, stderr.String(), nil
		}
		var r changes.Report
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return code, stderr.String(), &r
	}
	lock := func() string {
		data, err := os.ReadFile(filepath.Join(dir, "flake.lock"))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	before := lock()

	code, stderr, r := update("--fail-if-new-vulns")
	want := "nixlayer: refusing the update: it raises the vulnerabilities at or above HIGH from "
	if code != 1 || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "(introduced: "+batsVuln+" in bats)") || r != nil || lock() != before {
		t.Errorf("the gate: exit %d, stderr %q, report written %v, lock moved %v; want 1, %q…, nothing written", code, stderr, r != nil, lock() != before, want)
	}

	code, stderr, r = update()
	if code != 0 || r == nil || r.Vulnerabilities == nil {
		t.Fatalf("the update without the gate: exit %d, report %v: %s", code, r, stderr)
	}
	v := r.Vulnerabilities
	bats := changes.Finding{ID: batsVuln, Severity: scanner.Critical, Attr: "bats", Package: "bats", Version: "1.11.0"}
	if diff := cmp.Diff(&changes.Vulnerabilities{Threshold: scanner.High, Fixed: []changes.Finding{}, Introduced: []changes.Finding{bats}, Old: v.Old, New: v.New}, v); diff != "" {
		t.Errorf("the move forward (-want +got):\n%s", diff)
	}
	// The findings of both pins, zlib's among them, are the same but for
	// bats'.
	if v.Old[scanner.Critical] == 0 || v.New[scanner.Critical] != v.Old[scanner.Critical]+1 {
		t.Errorf("critical findings %d at the old pin, %d at the new; want some, and one more", v.Old[scanner.Critical], v.New[scanner.Critical])
	}

	code, stderr, r = update("--to", u.Rev1, "--fail-if-new-vulns")
	if code != 0 || r == nil || r.Vulnerabilities == nil {
		t.Fatalf("moving back: exit %d, report %v: %s", code, r, stderr)
	}
	if diff := cmp.Diff([]changes.Finding{bats}, r.Vulnerabilities.Fixed); diff != "" || len(r.Vulnerabilities.Introduced) != 0 {
		t.Errorf("moving back: fixed (-want +got):\n%s\nintroduced %v", diff, r.Vulnerabilities.Introduced)
	}
}
