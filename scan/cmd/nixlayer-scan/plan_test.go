package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/container/containertest"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

func TestMain(m *testing.M) {
	testenv.ServeRootfs()
	os.Exit(m.Run())
}

// TestScanPlanRuns runs the Dagger module's scan as the engine would: the
// scanner's build from the module's source in an image of Go, then the
// scan in an image shaped like the official Nix image, offline with a
// database directory, and reads the report the module's ScanReport reads.
// The build is static, as scripts/test builds this module's tests
// (CGO_ENABLED=0), so that it reuses their compiled packages: cold, it
// takes about six minutes.
func TestScanPlanRuns(t *testing.T) {
	universe := testenv.Universe(t)
	store, env := testenv.SharedNixEnv(t)
	host, err := platform.Host()
	if err != nil {
		t.Skip(err)
	}
	mod, gocache := containertest.GoCaches(t)
	e := &containertest.Engine{
		Images: map[string]containertest.Image{
			container.DefaultGoImage:  containertest.GoImage(t),
			container.DefaultNixImage: containertest.NixImage(t, &nix.Driver{Store: store, Env: env}, universe, host),
		},
		Dir:     t.TempDir(),
		Volumes: map[string]string{container.GoModVolume: mod, container.GoBuildVolume: gocache},
	}
	gb := container.GoBuild(container.DefaultGoImage, host, container.ScannerProgram)
	res := e.Run(t, gb, containertest.Inputs{ModuleSource: repoRoot(t)})
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit status %d\n%s", gb.What, res.ExitCode, res.Stderr)
	}
	program := res.Output(gb)
	archive, _ := scantest.Archive(t, true)
	p := container.ScanPlan(container.DefaultNixImage, container.Scan{FailOn: scanner.High, Database: true, Platform: host})
	res = e.Run(t, p, containertest.Inputs{Scanner: program, Image: archive, Database: scantest.Database(t, scantest.Records)})
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit status %d, want 0 above the threshold too\n%s", p.What, res.ExitCode, res.Stderr)
	}
	for _, o := range container.ScanOutputs {
		if fi, err := os.Stat(filepath.Join(res.Output(p), o.File)); err != nil || fi.Size() == 0 {
			t.Errorf("the scan wrote no %s (%v)", o.File, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(res.Output(p), container.ScanOutputs[0].File))
	if err != nil {
		t.Fatal(err)
	}
	var verdict scanner.Report
	if err := jsonUnmarshal(data, &verdict); err != nil || !verdict.Failed {
		t.Errorf("the JSON output says failed = %v (%v), want true above HIGH", verdict.Failed, err)
	}
	want := map[string]string{
		scantest.ZlibGit: "counted", scantest.GoText: "counted", scantest.Pip: "counted",
		scantest.ZlibZero: "low confidence", scantest.Shadow: "suppressed: patched by shadow-CVE-2023-29383.patch",
	}
	if diff := cmp.Diff(want, reportIDs(t, data)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestUpdatePlanScans runs the module's update of the pin as the engine
// would, with the scanner its own plan builds and an offline database: on
// the universe's two revisions, the gate refuses a move that brings a
// critical finding, in one line the module returns; without the gate, the
// report lists it.
func TestUpdatePlanScans(t *testing.T) {
	universe := testenv.Universe(t)
	testenv.Require(t, "git")
	store, env := testenv.SharedNixEnv(t)
	d := &nix.Driver{Store: store, Env: env}
	host, err := platform.Host()
	if err != nil {
		t.Skip(err)
	}
	mod, gocache := containertest.GoCaches(t)
	u := updatetest.NewUniverse(t)
	nixImage := containertest.NixImage(t, d, universe, host)
	// The flake follows a branch of the universe's git repository, which
	// the container sees where the host has it.
	nixImage.Binds = append(slices.Clone(nixImage.Binds), testenv.Bind{Source: u.Dir, Target: u.Dir, ReadOnly: true})
	e := &containertest.Engine{
		Images: map[string]containertest.Image{
			container.DefaultGoImage:  containertest.GoImage(t),
			container.DefaultNixImage: nixImage,
		},
		Dir:     t.TempDir(),
		Volumes: map[string]string{container.GoModVolume: mod, container.GoBuildVolume: gocache},
	}
	in := containertest.Inputs{Database: scantest.Database(t, batsRecords())}
	for _, prog := range []struct {
		program container.Program
		out     *string
	}{{container.HelperProgram, &in.Helper}, {container.ScannerProgram, &in.Scanner}} {
		gb := container.GoBuild(container.DefaultGoImage, host, prog.program)
		res := e.Run(t, gb, containertest.Inputs{ModuleSource: repoRoot(t)})
		if res.ExitCode != 0 {
			t.Fatalf("%s: exit status %d\n%s", gb.What, res.ExitCode, res.Stderr)
		}
		*prog.out = res.Output(gb)
	}
	inv := container.Update{Platform: host, Scan: true, ScanDatabase: true, FailIfNewVulns: true}

	in.Flake = updatetest.Flake(t, d, u)
	p, err := container.Helper(container.DefaultNixImage, inv, "updating nixpkgs")
	if err != nil {
		t.Fatal(err)
	}
	res := e.Run(t, p, in)
	err = container.NewHelperError(p.What, res.ExitCode, res.Stderr)
	if res.ExitCode != 1 || err == nil || !strings.HasPrefix(err.Error(), "updating nixpkgs: refusing the update: it raises the vulnerabilities at or above HIGH") || !strings.Contains(err.Error(), batsVuln+" in bats") {
		t.Errorf("the gate: exit status %d, error %v\n%s", res.ExitCode, err, res.Stderr)
	}

	inv.FailIfNewVulns = false
	if p, err = container.Helper(container.DefaultNixImage, inv, "updating nixpkgs"); err != nil {
		t.Fatal(err)
	}
	res = e.Run(t, p, in)
	if res.ExitCode != 0 {
		t.Fatalf("without the gate: exit status %d\n%s", res.ExitCode, res.Stderr)
	}
	data, err := os.ReadFile(filepath.Join(res.Output(p), container.JSONReportFile))
	if err != nil {
		t.Fatal(err)
	}
	var r changes.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	want := []changes.Finding{{ID: batsVuln, Severity: scanner.Critical, Attr: "bats", Package: "bats", Version: "1.11.0"}}
	if r.Vulnerabilities == nil {
		t.Fatalf("the report has no vulnerabilities:\n%s", data)
	}
	if diff := cmp.Diff(want, r.Vulnerabilities.Introduced); diff != "" {
		t.Errorf("introduced (-want +got):\n%s", diff)
	}
}
