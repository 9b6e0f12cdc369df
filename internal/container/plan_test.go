package container_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

var update = flag.Bool("update", false, "rewrite golden files")

func mustPlatform(t *testing.T, name string) platform.Platform {
	t.Helper()
	p, err := platform.Parse(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// plans are the plans of every kind of call, for the golden file and for
// the checks that every plan must pass.
func plans(t *testing.T) map[string]container.Plan {
	t.Helper()
	amd64, arm64 := mustPlatform(t, "linux/amd64"), mustPlatform(t, "linux/arm64")
	invs := map[string]container.Invocation{
		"runtime archive": {Command: container.CommandBuild, Kind: kind.Runtime, Sets: []string{"base", "python"}, Platform: amd64},
		"devcontainer layout with a project and nixpkgs": {
			Command: container.CommandBuild, Kind: kind.Devcontainer, Layout: true,
			Sets: []string{"base", "vscodeCompat", "python"}, Packages: []string{"htop", "-jq"},
			ProjectFile: "/ci/../ci/nixlayer.yaml", Overlays: []string{"ci/overlays/cve.nix", "ci/overlays/fix.nix", "ci/local.nix"},
			Nixpkgs: true, Platform: arm64,
		},
		"closure":      {Command: container.CommandClosure, Sets: []string{"base", "python"}, ProjectFile: "nixlayer.yaml", Platform: amd64},
		"closure JSON": {Command: container.CommandClosure, Sets: []string{"base"}, Packages: []string{"htop"}, Platform: amd64, JSON: true},
		"inventory":    {Command: container.CommandInventory, Sets: []string{"base"}, Platform: arm64},
		"index":        {Command: container.CommandIndex, Platform: amd64, Layouts: 2},
		"publish with a login": {Command: container.CommandPublish, Platform: amd64, Layouts: 2,
			Address: "ghcr.io/acme/app/runtime:2026-12-01", Tags: []string{"latest"}, Username: "octocat"},
		"publish":        {Command: container.CommandPublish, Platform: arm64, Layouts: 1, Address: "localhost:5000/app:1"},
		"update-nixpkgs": {Command: container.CommandUpdate, Platform: amd64},
		"update-nixpkgs with a release bump and a token": {Command: container.CommandUpdate, Platform: arm64, BumpRelease: true, GitHubToken: true},
		"update-nixpkgs to a commit":                     {Command: container.CommandUpdate, Platform: amd64, To: "74cc63f702f7d60a557e152a57b40fb1fd0f72ac"},
		"update-nixpkgs scanning, downloading":           {Command: container.CommandUpdate, Platform: amd64, Scan: true},
		"update-nixpkgs scanning a database, gated":      {Command: container.CommandUpdate, Platform: amd64, Scan: true, ScanDatabase: true, FailIfNewVulns: true, FailOn: scanner.Critical},
		"devcontainer archive on a base image": {Command: container.CommandBuild, Kind: kind.Devcontainer, Sets: []string{"base"}, Platform: amd64,
			Base: true, BaseName: "registry.example/ubuntu-fips:22.04"},
	}
	out := map[string]container.Plan{
		"go build for arm64":             container.GoBuild(container.DefaultGoImage, arm64, container.HelperProgram),
		"go build of the scanner, amd64": container.GoBuild(container.DefaultGoImage, amd64, container.ScannerProgram),
	}
	host := mustPlatform(t, "linux/amd64")
	out["scan, downloading"] = container.ScanPlan(container.DefaultNixImage, container.Scan{FailOn: scanner.High, Platform: host})
	out["scan, offline with an ignore file"] = container.ScanPlan(container.DefaultNixImage, container.Scan{FailOn: scanner.Critical, Database: true, Ignore: true, Platform: host})
	for name, inv := range invs {
		p, err := container.Helper(container.DefaultNixImage, inv, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = p
	}
	return out
}

// TestPlans compares every kind of plan with testdata/plans.golden.json,
// which shows, for review, exactly what the module runs.
func TestPlans(t *testing.T) {
	data, err := json.MarshalIndent(plans(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	file := filepath.Join("testdata", "plans.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(data)); diff != "" {
		t.Errorf("plans (-want +got):\n%s", diff)
	}
}

// TestPlanRules checks what every plan must do for the engine to run it
// right.
func TestPlanRules(t *testing.T) {
	for name, p := range plans(t) {
		if err := p.Check(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		// What the module reads back must be in a directory the plan
		// makes (the images have no /nixlayer/out), or one the exec makes.
		if p.Output.Kind == container.FileOutput || p.Output.Kind == container.DirOutput {
			made := strings.HasPrefix(p.Output.Path, container.BinDir+"/") // go build -o makes its directory
			for _, d := range p.Dirs {
				made = made || p.Output.Path == d || strings.HasPrefix(p.Output.Path, d+"/")
			}
			if !made {
				t.Errorf("%s: its output %s is in no directory the plan makes", name, p.Output.Path)
			}
		}
		// A secret never reaches the command line.
		for _, s := range p.Secrets {
			for _, a := range p.Argv {
				if strings.Contains(a, s.Name) {
					t.Errorf("%s: the command line names the secret %s", name, s.Name)
				}
			}
		}
		// Only a publish, a download and an update talk to the network,
		// and they must run every time.
		if p.Fresh != (strings.HasPrefix(name, "publish") || strings.HasSuffix(name, "downloading") || strings.HasPrefix(name, "update-nixpkgs")) {
			t.Errorf("%s: Fresh = %v", name, p.Fresh)
		}
		for _, m := range p.Mounts {
			if m.Kind == container.CacheMount && (m.Volume == "" || m.Sharing == "") {
				t.Errorf("%s: the cache mount at %s has no volume or sharing", name, m.Path)
			}
		}
	}
}

func TestCheck(t *testing.T) {
	ok := container.Plan{What: "x", Image: "img", Argv: []string{"true"}, Dirs: []string{"/out"}, Output: container.Output{Kind: container.FileOutput, Path: "/out/f"},
		Mounts: []container.Mount{{Kind: container.CacheMount, Path: "/cache", Volume: "v", Sharing: container.Shared}}}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(*container.Plan){
		"output in a mount": func(p *container.Plan) { p.Output.Path = "/cache/f" },
		"output is a mount": func(p *container.Plan) { p.Output.Path = "/cache" },
		"relative output":   func(p *container.Plan) { p.Output.Path = "out/f" },
		"relative mount":    func(p *container.Plan) { p.Mounts[0].Path = "cache" },
		"no command":        func(p *container.Plan) { p.Argv = nil },
		"no image":          func(p *container.Plan) { p.Image = "" },
	}
	for name, change := range bad {
		p := ok
		p.Mounts = append([]container.Mount(nil), ok.Mounts...)
		change(&p)
		if err := p.Check(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestNixEnv(t *testing.T) {
	want := []container.Env{
		{Name: "NIX_CONFIG", Value: "experimental-features = nix-command flakes\nsandbox = false\nbuild-users-group =\n"},
		{Name: "HOME", Value: "/root"},
		{Name: "NO_COLOR", Value: "1"},
		{Name: "NIXLAYER_HELPER", Value: "1"},
	}
	if diff := cmp.Diff(want, container.NixEnv()); diff != "" {
		t.Errorf("NixEnv (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(container.FetcherCacheDir, container.Home+"/") {
		t.Errorf("the fetcher cache %s is not under HOME %s, where Nix looks for it", container.FetcherCacheDir, container.Home)
	}
}

// TestImages checks that the default images are pinned by digest, so that
// each names a Nix store volume.
func TestImages(t *testing.T) {
	for _, image := range []string{container.DefaultNixImage, container.DefaultGoImage} {
		if _, _, err := container.NixVolumes(image, "x86_64-linux"); err != nil {
			t.Errorf("%s: %v", image, err)
		}
	}
}
