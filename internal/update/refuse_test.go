package update_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/update"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// TestRefusesOtherNodes gives the flake a second input whose lock is
// stale, which Nix locks again along with nixpkgs: the update is refused,
// and the files stay as they were.
func TestRefusesOtherNodes(t *testing.T) {
	d, u, dir := setup(t)
	file := filepath.Join(dir, update.FlakeFile)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	line := `  inputs.nixpkgs.url = "` + u.URL(updatetest.Branch) + `";` + "\n"
	extra := `  inputs.extra = { url = "` + u.URL(updatetest.Branch) + `"; flake = false; };` + "\n"
	if !strings.Contains(string(data), line) {
		t.Fatalf("flake.nix has no line %q", line)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), line, line+extra, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Run(context.Background(), "flake", "lock", "--", "path:"+dir); err != nil {
		t.Fatal(err)
	}
	// flake.nix now says another branch for extra, which its lock lacks.
	data, err = os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(data), extra, strings.Replace(extra, updatetest.Branch, updatetest.NewerBranch, 1), 1)
	if err := os.WriteFile(file, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	_, err = update.Run(context.Background(), options(d, dir))
	want := "refusing the update: Nix changed the lock's nodes extra, nixpkgs, not only nixpkgs; flake.lock is left as it was"
	if err == nil || err.Error() != want || errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("error %v, want %q, a refusal that is not bad input", err, want)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("a refused update changed the flake (-before +after):\n%s", diff)
	}
}

// fakeScanner is a fake Scanner: the findings of each pin.
type fakeScanner struct {
	old, new []changes.Finding
	seen     []string
}

func (s *fakeScanner) Scan(_ context.Context, in update.ScanInput) ([]changes.Finding, error) {
	s.seen = append(s.seen, in.Which+" "+in.Pin.Rev)
	if in.Plan == nil || len(in.Plan.Packages) == 0 || in.Catalog.Graph == nil {
		return nil, errors.New("the scanner got no plan or catalog")
	}
	if in.Which == "old" {
		return s.old, nil
	}
	return s.new, nil
}

// TestVulnerabilityGate runs the update with a fake scanner: the report
// lists the findings fixed and introduced, and --fail-if-new-vulns
// refuses an update that raises those at or above the threshold.
func TestVulnerabilityGate(t *testing.T) {
	d, u, dir := setup(t)
	s := &fakeScanner{
		old: []changes.Finding{{ID: "CVE-2026-0001", Severity: scanner.Critical, Attr: "fzf", Version: "0.56.3"}},
		new: []changes.Finding{
			{ID: "CVE-2026-0002", Severity: scanner.High, Attr: "ripgrep", Version: "14.1.2"},
			{ID: "CVE-2026-0003", Severity: scanner.High, Attr: "eslint", Version: "10.0.0"},
		},
	}
	o := options(d, dir)
	o.Scanner, o.FailIfNewVulns = s, true
	before := snapshot(t, dir)
	_, err := update.Run(context.Background(), o)
	want := "refusing the update: it raises the vulnerabilities at or above HIGH from 1 to 2 (introduced: CVE-2026-0002 in ripgrep, CVE-2026-0003 in eslint)"
	if err == nil || err.Error() != want || errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("error %v, want %q, a refusal that is not bad input", err, want)
	}
	if diff := cmp.Diff([]string{"old " + u.Rev1, "new " + u.Rev2}, s.seen); diff != "" {
		t.Errorf("the scanner saw (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("a refused update changed the flake (-before +after):\n%s", diff)
	}

	// At or above CRITICAL, the update lowers the count: it passes, and
	// the report says what it fixes and brings.
	o.Threshold = scanner.Critical
	res, err := update.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	v := res.Report.Vulnerabilities
	if v == nil || len(v.Fixed) != 1 || len(v.Introduced) != 2 || v.Threshold != scanner.Critical {
		t.Fatalf("vulnerabilities %+v", v)
	}
	md := changes.Markdown(res.Report, changes.PullRequestLimit)
	for _, want := range []string{"| Vulnerabilities | 1 fixed, 2 introduced; at or above CRITICAL: 1 → 0 |", "| CVE-2026-0001 | CRITICAL | `fzf` |", "<summary>Vulnerabilities introduced (2)</summary>"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}

	// Without a scanner, the gate cannot be kept.
	o.Scanner = nil
	if _, err := update.Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "needs a vulnerability scanner") {
		t.Errorf("the gate without a scanner: %v", err)
	}
}
