package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/dagger"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// UpdateNixpkgs moves the nixpkgs pin of a checkout's nix/flake.lock to the
// head of its branch (or to a given commit, or first to the newest stable
// release branch), with Nix itself, as nixlayer update-nixpkgs does, and
// reports what the move changes: the package versions, the attributes
// added and removed, each set's closure size, the bytes each standard
// image's users pull again, and the OSV vulnerabilities of both pins'
// catalogs that the move fixes and introduces. Export its changes over the
// checkout's nix/ to apply it.
//
// It is never cached: it asks GitHub for the release branches and Nix for
// the head of nixpkgs' branch, which both move, so a cached result would
// report a pin that is no longer the newest. The exec that runs Nix is
// also made new to the engine's cache every time (its plan is Fresh: the
// module sets an environment variable with the current time), since a
// cached exec would give the same stale answer.
//
// +cache="never"
func (m *Nixlayer) UpdateNixpkgs(
	ctx context.Context,
	// The checkout whose nix/ directory holds the flake.nix and flake.lock
	// to update. The default is nixlayer's own source.
	//
	// +optional
	source *dagger.Directory,
	// Move to the newest stable release branch (nixos-YY.MM-small) first,
	// when GitHub lists a newer one than the input's.
	//
	// +optional
	bumpRelease bool,
	// Lock nixpkgs to this commit (40 hexadecimal digits) of its branch,
	// instead of the branch's head.
	//
	// +optional
	to string,
	// A GitHub token, such as env:GITHUB_TOKEN, which raises the API's rate
	// limit when the release is bumped.
	//
	// +optional
	githubToken *dagger.Secret,
	// Refuse the update (the call fails, and nothing is returned) when it
	// raises the number of vulnerabilities at or above failOn.
	//
	// +optional
	failIfNewVulns bool,
	// The level failIfNewVulns counts vulnerabilities from, as scan counts
	// them: NONE (never refuse), LOW, MEDIUM, HIGH or CRITICAL.
	//
	// +default="HIGH"
	failOn Severity,
	// Do not scan the pins for vulnerabilities, nor build the scanner: the
	// report then has no vulnerabilities.
	//
	// +optional
	noScan bool,
	// The OSV databases to scan with, offline, as osv-scanner lays them
	// out: osv-scalibr/<Ecosystem>/all.zip. Without it, the scan downloads
	// the databases it needs.
	//
	// +optional
	db *dagger.Directory,
) (*NixpkgsUpdate, error) {
	if to != "" && bumpRelease {
		return nil, usererr.Errorf("give --to or --bump-release, not both: --to names a commit of the input's branch")
	}
	level, err := scanner.ParseThreshold(string(failOn))
	if err != nil {
		return nil, usererr.Errorf("--fail-on: %v", err)
	}
	if noScan && failIfNewVulns {
		return nil, usererr.Errorf("--fail-if-new-vulns needs the vulnerability scan that --no-scan turns off")
	}
	if source == nil {
		source = dag.CurrentModule().Source()
	}
	p, err := target(ctx, "")
	if err != nil {
		return nil, err
	}
	inv := container.Update{Platform: p, BumpRelease: bumpRelease, To: to, GitHubToken: githubToken != nil,
		Scan: !noScan, ScanDatabase: db != nil, FailIfNewVulns: failIfNewVulns, FailOn: level}
	given := inputs{flake: source.Directory("nix"), githubToken: githubToken, database: db}
	if inv.Scan {
		// The scanner runs where the helper does, on the engine's platform.
		given.m = m
		if given.scanner, err = given.outputFile(ctx, container.GoBuild(m.GoImage, p, container.ScannerProgram)); err != nil {
			return nil, err
		}
	}
	plan, in, err := m.helperPlan(ctx, inv, "updating nixpkgs", given)
	if err != nil {
		return nil, err
	}
	dir, err := in.outputDir(ctx, plan)
	if err != nil {
		return nil, err
	}
	data, err := dir.File(container.JSONReportFile).Contents(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the update's report: %w", err)
	}
	var r changes.Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return nil, fmt.Errorf("decoding the update's report: %w", err)
	}
	return &NixpkgsUpdate{Dir: dir, SummaryText: changes.Summary(&r), HasChanged: r.Changed}, nil
}

// NixpkgsUpdate is a finished update of the nixpkgs pin: the new flake
// files and the report of what the update changes.
type NixpkgsUpdate struct {
	// The new flake.nix and flake.lock, CHANGES.md and changes.json.
	//
	// +private
	Dir *dagger.Directory
	// The summary of the report.
	//
	// +private
	SummaryText string
	// Whether the pin moved.
	//
	// +private
	HasChanged bool
}

// Lock returns the new flake.lock.
func (u *NixpkgsUpdate) Lock() *dagger.File { return u.Dir.File("flake.lock") }

// Flake returns the new flake.nix, which changes only when the release is
// bumped.
func (u *NixpkgsUpdate) Flake() *dagger.File { return u.Dir.File("flake.nix") }

// Changes returns the new flake.nix and flake.lock with the report,
// CHANGES.md (markdown for a pull request's body) and changes.json, ready
// to export over the checkout's nix/.
func (u *NixpkgsUpdate) Changes() *dagger.Directory { return u.Dir }

// Summary returns a few lines on the update: the pins, the version
// changes by class, the attributes added and removed, and the bytes each
// standard image's users pull again.
func (u *NixpkgsUpdate) Summary() string { return u.SummaryText }

// Report returns the report as markdown, CHANGES.md: a short table, then
// the details, cut under GitHub's limit for a pull request's body.
func (u *NixpkgsUpdate) Report() *dagger.File { return u.Dir.File(container.ReportFile) }

// Changed tells whether the pin moved; when it did not, nixpkgs is
// already at the newest revision.
func (u *NixpkgsUpdate) Changed() bool { return u.HasChanged }
