package changes

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	goldenfile "github.com/nixlayer/nixlayer/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/version"
)

var update = flag.Bool("update", false, "rewrite golden files")

func pkg(attr, v, out string) flake.Package {
	return flake.Package{Attr: attr, Pname: attr, Version: v, OutPath: "/nix/store/" + out}
}

func TestCompareVersions(t *testing.T) {
	old := &flake.Plan{Packages: []flake.Package{
		pkg("ripgrep", "14.1.1", "a"), pkg("fzf", "0.56.3", "b"), pkg("eslint", "9.14.0", "c"), pkg("procps", "1.1.1w", "d"),
		pkg("go", "1.23.3", "e"), pkg("typescript", "5.6.3", "f"), pkg("jq", "1.6", "g"), pkg("rust-analyzer", "2024-11-04", "h"),
		pkg("gone", "1", "i"), pkg("broken", "2", "j"), pkg("python", "3.12", "k"),
	}, Missing: []string{"bats"}}
	new := &flake.Plan{Packages: []flake.Package{
		pkg("ripgrep", "14.1.2", "A"), pkg("fzf", "0.57.0", "B"), pkg("eslint", "10.0.0", "C"), pkg("procps", "1.1.1x", "D"),
		pkg("go", "1.23.3", "E"), pkg("typescript", "5.6.3", "f"), pkg("jq", "1.6", "G"), pkg("rust-analyzer", "2024-12-02", "H"),
		pkg("bats", "1.11.0", "l"), pkg("python", "3.11", "K"),
	}, Missing: []string{"gone"}, Failing: []string{"broken"}}
	versions, added, removed, rebuilt := CompareVersions(old, new)
	want := []VersionChange{
		{Attr: "eslint", Pname: "eslint", Old: "9.14.0", New: "10.0.0", Class: version.Major},
		{Attr: "fzf", Pname: "fzf", Old: "0.56.3", New: "0.57.0", Class: version.Minor},
		{Attr: "procps", Pname: "procps", Old: "1.1.1w", New: "1.1.1x", Class: version.Patch},
		{Attr: "ripgrep", Pname: "ripgrep", Old: "14.1.1", New: "14.1.2", Class: version.Patch},
		{Attr: "rust-analyzer", Pname: "rust-analyzer", Old: "2024-11-04", New: "2024-12-02", Class: version.Other},
		{Attr: "python", Pname: "python", Old: "3.12", New: "3.11", Class: version.Downgrade},
	}
	if diff := cmp.Diff(want, versions); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Attr{{Attr: "bats", Pname: "bats", Version: "1.11.0", Reason: ReasonMissing}}, added); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	wantRemoved := []Attr{{Attr: "broken", Pname: "broken", Version: "2", Reason: ReasonFailing}, {Attr: "gone", Pname: "gone", Version: "1", Reason: ReasonMissing}}
	if diff := cmp.Diff(wantRemoved, removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"go", "jq"}, rebuilt); diff != "" {
		t.Errorf("rebuilt (-want +got):\n%s", diff)
	}
	if got := ClassCounts(versions); got[version.Patch] != 2 || got[version.Major] != 1 || len(got) != 5 {
		t.Errorf("class counts %v", got)
	}
}

// storePath is a store path named name.
func storePath(name string) string { return "/nix/store/" + strings.Repeat("0", 32) + "-" + name }

func closure(t *testing.T, infos ...nix.PathInfo) *nix.Closure {
	t.Helper()
	c, err := nix.NewClosure(infos)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func info(name string, size int64, refs ...string) nix.PathInfo {
	i := nix.PathInfo{Path: storePath(name), NarHash: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", NarSize: size, References: []string{}}
	for _, r := range refs {
		i.References = append(i.References, storePath(r))
	}
	return i
}

func TestSetSizes(t *testing.T) {
	// Two sets: base (bash, coreutils) and go, whose toolchain grows.
	c, err := sets.Catalog{}.With(sets.Set{Name: "base", Attrs: []string{"bash", "coreutils"}}, sets.Set{Name: "go", Attrs: []string{"go", "gopls"}})
	if err != nil {
		t.Fatal(err)
	}
	old := Closure{
		Roots: map[string]string{"bash": storePath("bash"), "coreutils": storePath("coreutils"), "go": storePath("go-1")},
		Graph: closure(t, info("glibc", 100), info("bash", 10, "glibc"), info("coreutils", 20, "glibc"), info("go-1", 1000, "glibc")),
	}
	new := Closure{
		Roots: map[string]string{"bash": storePath("bash"), "coreutils": storePath("coreutils"), "go": storePath("go-2"), "gopls": storePath("gopls")},
		Graph: closure(t, info("glibc", 100), info("bash", 10, "glibc"), info("coreutils", 20, "glibc"), info("go-2", 1500, "glibc"), info("gopls", 5, "go-2")),
	}
	got, err := SetSizes(c, old, new)
	if err != nil {
		t.Fatal(err)
	}
	want := []SetSize{
		{Set: "base", Old: 130, New: 130, Delta: 0, OldPaths: 3, NewPaths: 3},
		{Set: "go", Old: 1100, New: 1605, Delta: 505, OldPaths: 2, NewPaths: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("set sizes (-want +got):\n%s", diff)
	}
}

func TestCompareFindings(t *testing.T) {
	old := []Finding{
		{ID: "CVE-1", Severity: scanner.High, Attr: "openssl", Version: "3.0.1"},
		{ID: "CVE-2", Severity: scanner.Critical, Attr: "curl", Version: "8.0"},
		{ID: "CVE-3", Severity: scanner.Low, Attr: "jq", Version: "1.6"},
	}
	new := []Finding{
		{ID: "CVE-1", Severity: scanner.High, Attr: "openssl", Version: "3.0.2"}, // still there, another version
		{ID: "CVE-4", Severity: scanner.High, Attr: "git", Version: "2.40"},
		{ID: "CVE-5", Severity: scanner.Medium, Attr: "git", Version: "2.40"},
		{ID: "CVE-5", Severity: scanner.Medium, Attr: "git", Version: "2.40"}, // twice, from two images
	}
	v := CompareFindings(old, new, scanner.High)
	if diff := cmp.Diff([]Finding{old[1], old[2]}, v.Fixed); diff != "" {
		t.Errorf("fixed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Finding{new[1], new[2]}, v.Introduced); diff != "" {
		t.Errorf("introduced (-want +got):\n%s", diff)
	}
	if v.AtOrAbove(v.Old) != 2 || v.AtOrAbove(v.New) != 2 || v.Raises() {
		t.Errorf("at or above HIGH: %d → %d, raises %v; want 2 → 2, no", v.AtOrAbove(v.Old), v.AtOrAbove(v.New), v.Raises())
	}
	if v := CompareFindings(old, new, scanner.Medium); !v.Raises() {
		t.Errorf("at or above MEDIUM: %d → %d, want a rise", v.AtOrAbove(v.Old), v.AtOrAbove(v.New))
	}
	if v := CompareFindings(old, nil, scanner.Low); v.Raises() || len(v.Introduced) != 0 || len(v.Fixed) != 3 {
		t.Errorf("everything fixed: %+v", v)
	}
	// An unrated finding counts at any threshold, as the scan counts it;
	// at NONE nothing counts, and nothing raises.
	unrated := append(slices.Clone(new), Finding{ID: "OSV-6", Severity: scanner.Unknown, Attr: "git"})
	if v := CompareFindings(nil, unrated, scanner.Critical); v.AtOrAbove(v.New) != 1 || !v.Raises() {
		t.Errorf("an unrated finding at or above CRITICAL: %d → %d, want 0 → 1", v.AtOrAbove(v.Old), v.AtOrAbove(v.New))
	}
	if v := CompareFindings(nil, unrated, scanner.None); v.AtOrAbove(v.New) != 0 || v.Raises() {
		t.Errorf("at or above NONE: %d → %d, raises %v; want 0 → 0, no", v.AtOrAbove(v.Old), v.AtOrAbove(v.New), v.Raises())
	}
}

// sample is a report with something in every part.
func sample() *Report {
	return &Report{
		Changed: true, System: "x86_64-linux",
		Old: Pin{URL: "github:NixOS/nixpkgs/nixos-26.05-small", Ref: "nixos-26.05-small", Rev: "74cc63f702f7d60a557e152a57b40fb1fd0f72ac", LastModified: 1783549019},
		New: Pin{URL: "github:NixOS/nixpkgs/nixos-26.11-small", Ref: "nixos-26.11-small", Rev: "0123456789abcdef0123456789abcdef01234567", LastModified: 1796162849},
		Versions: []VersionChange{
			{Attr: "eslint", Pname: "eslint", Old: "9.14.0", New: "10.0.0", Class: version.Major},
			{Attr: "procps", Pname: "procps", Old: "1.1.1w", New: "1.1.1x", Class: version.Patch},
		},
		Added:   []Attr{{Attr: "bats", Pname: "bats", Version: "1.11.0", Reason: ReasonMissing}},
		Removed: []Attr{{Attr: "gone", Pname: "gone", Version: "1|2", Reason: ReasonFailing}},
		Rebuilt: []string{"typescript"},
		Sets:    []SetSize{{Set: "base", Old: 60 << 20, New: 60 << 20}, {Set: "go", Old: 24 << 20, New: 32 << 20, Delta: 8 << 20}},
		Images: []Image{
			{Name: "devcontainer", Kind: "devcontainer", Sets: []string{"base", "vscodeCompat"}, Layers: 14, NewLayers: 3, Bytes: 1234567, NarBytes: 3 << 20, TotalNarBytes: 300 << 20},
			{Name: "runtime", Kind: "runtime", Sets: []string{"base"}, Layers: 6},
			{Name: "runtime + python", Kind: "runtime", Sets: []string{"base", "python"}, Unplanned: "not at the old pin: it lacks python312"},
		},
		Vulnerabilities: CompareFindings([]Finding{{ID: "CVE-2024-5535", Severity: scanner.High, Attr: "openssl"}}, []Finding{{ID: "GHSA-x", Severity: scanner.Low, Attr: "curl"}}, scanner.High),
	}
}

// TestMarkdown compares the body of a sample report, and its summary, with
// testdata/sample.golden.md.
func TestMarkdown(t *testing.T) {
	got := Markdown(sample(), PullRequestLimit) + "\n---- summary ----\n" + Summary(sample())
	golden(t, "sample.golden.md", got)
	same := &Report{Old: sample().Old, New: sample().Old}
	if md := Markdown(same, PullRequestLimit); !strings.Contains(md, "already at the newest revision") || strings.Contains(md, "<details>") {
		t.Errorf("an unchanged pin:\n%s", md)
	}
	if s := Summary(same); s != "nixpkgs is already at the newest revision: nixos-26.05-small 74cc63f7 (2026-07-08)\n" {
		t.Errorf("an unchanged pin's summary: %q", s)
	}
}

// TestMarkdownLimit checks that a huge report stays under the limit, cuts
// rows and then blocks, and says so.
func TestMarkdownLimit(t *testing.T) {
	r := sample()
	r.Versions, r.Rebuilt = nil, nil
	for i := range 5000 {
		r.Versions = append(r.Versions, VersionChange{Attr: fmt.Sprintf("python312Packages.package-%04d", i), Pname: "package", Old: "1.0.0", New: "1.0.1", Class: version.Patch})
		r.Rebuilt = append(r.Rebuilt, fmt.Sprintf("rebuilt-%04d", i))
	}
	md := Markdown(r, PullRequestLimit)
	if len(md) > PullRequestLimit {
		t.Fatalf("the body has %d bytes, more than %d", len(md), PullRequestLimit)
	}
	if len(md) < PullRequestLimit-2000 {
		t.Errorf("the body has %d bytes: it wastes the room under the limit", len(md))
	}
	for _, want := range []string{
		"| Version changes | 5000: 5000 patch |",
		"| devcontainer | base, vscodeCompat | 3 of 14 | 1.2 MiB |",
		"in changes.json.\n",
		`_Cut to stay under GitHub's limit of 65536 characters: `,
		`rows of "Version changes"; Added and removed attributes (2); Rebuilt with the same version (5000); Closure size per set (2); Vulnerabilities by severity (2); Vulnerabilities fixed (1); Vulnerabilities introduced (1). changes.json has everything._`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the cut body lacks %q; its end:\n%s", want, md[len(md)-600:])
		}
	}
	if strings.Count(md, "<details>") != strings.Count(md, "</details>") {
		t.Error("a <details> block is not closed")
	}
	// A small limit keeps the head alone.
	small := Markdown(r, len(head(r))+noteRoom+10)
	if strings.Contains(small, "<details>") || !strings.Contains(small, "Version changes (5000)") {
		t.Errorf("with room for the head only:\n%s", small)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}
