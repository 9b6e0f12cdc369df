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
	"github.com/nixlayer/nixlayer/internal/container/containertest"
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
	out := map[string]container.Plan{
		"go build for arm64":             container.GoBuild(container.DefaultGoImage, arm64, container.HelperProgram),
		"go build of the scanner, amd64": container.GoBuild(container.DefaultGoImage, amd64, container.ScannerProgram),
	}
	host := mustPlatform(t, "linux/amd64")
	out["scan, downloading"] = container.ScanPlan(container.DefaultNixImage, container.Scan{FailOn: scanner.High, Platform: host})
	out["scan, offline with an ignore file"] = container.ScanPlan(container.DefaultNixImage, container.Scan{FailOn: scanner.Critical, Database: true, Ignore: true, Platform: host})
	for name, inv := range containertest.Invocations(t) {
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

// TestPlanScanOutputs checks that the scan writes every format the
// scanner has, each to a file of its own.
func TestPlanScanOutputs(t *testing.T) {
	var formats []scanner.Format
	files := map[string]bool{}
	for _, o := range container.ScanOutputs {
		formats = append(formats, o.Format)
		files[o.File] = true
	}
	if diff := cmp.Diff(scanner.Formats(), formats); diff != "" || len(files) != len(formats) {
		t.Errorf("the scan's outputs (-want +got):\n%s; files %v", diff, files)
	}
}
