// Package examples_test checks the examples against the code, so that they
// cannot rot: the sample project loads and composes, its overlay's files
// exist, every set spec the examples use is valid, the example module is
// well-formed Go, and every workflow is valid YAML that uses the engine
// version of dagger.json.
package examples_test

import (
	"encoding/json"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
	"go.yaml.in/yaml/v3"
)

const projectFile = "project/nixlayer.yaml"

func TestProjectComposes(t *testing.T) {
	proj, err := sets.LoadProject(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range proj.Sets {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"dataTools"}, names); diff != "" {
		t.Errorf("custom sets (-want +got):\n%s", diff)
	}

	sel, req, err := selection.Select("python, dataTools, base", []string{"ripgrep"}, proj, "x86_64-linux")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"base", "python", "dataTools"}, sel.Sets); diff != "" {
		t.Errorf("selected sets (-want +got):\n%s", diff)
	}
	origins := map[string]string{}
	for _, a := range sel.Attrs {
		origins[a.Path] = a.Origin
	}
	want := map[string]string{
		"bashInteractive":          "base",
		"python312":                "python",
		"duckdb":                   "dataTools",
		"python312Packages.pandas": "dataTools",
		"htop":                     projectFile + " packages",
		"jq":                       projectFile + " packages",
		"ripgrep":                  selection.PackagesOrigin,
	}
	for attr, origin := range want {
		if origins[attr] != origin {
			t.Errorf("attribute %s comes from %q, want %q", attr, origins[attr], origin)
		}
	}
	if !slices.Contains(sel.Extensions, "ms-toolsai.jupyter") {
		t.Errorf("extensions %q lack ms-toolsai.jupyter", sel.Extensions)
	}
	overlay, _ := filepath.Abs("project/overlays/openssl-cve.nix")
	if diff := cmp.Diff([]string{overlay}, req.Overlays); diff != "" {
		t.Errorf("overlays (-want +got):\n%s", diff)
	}
	if _, err := flake.NewLayout(req); err != nil {
		t.Errorf("laying out the request: %v", err)
	}
}

// TestProjectInDagger checks the project as the Dagger module reads it:
// the file's bytes, with overlays as paths inside the project directory.
func TestProjectInDagger(t *testing.T) {
	data, err := os.ReadFile(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := sets.ParseProject("nixlayer.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := container.Overlays("nixlayer.yaml", proj.Overlays)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"overlays/openssl-cve.nix"}, paths); diff != "" {
		t.Errorf("overlay paths (-want +got):\n%s", diff)
	}
}

// TestOverlayFilesExist checks that every file an overlay refers to, such
// as ./CVE-2024-5535.patch, is beside it.
func TestOverlayFilesExist(t *testing.T) {
	overlays, err := filepath.Glob("project/overlays/*.nix")
	if err != nil || len(overlays) == 0 {
		t.Fatalf("no overlays found: %v", err)
	}
	ref := regexp.MustCompile(`\./[A-Za-z0-9._-]+`)
	for _, o := range overlays {
		src, err := os.ReadFile(o)
		if err != nil {
			t.Fatal(err)
		}
		refs := ref.FindAllString(string(src), -1)
		if len(refs) == 0 {
			t.Errorf("%s refers to no file beside it", o)
		}
		for _, r := range refs {
			if _, err := os.Stat(filepath.Join(filepath.Dir(o), r)); err != nil {
				t.Errorf("%s refers to %s: %v", o, r, err)
			}
		}
	}
	patch, err := os.ReadFile("project/overlays/CVE-2024-5535.patch")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(patch), "\n--- a/ssl/ssl_lib.c\n+++ b/ssl/ssl_lib.c\n@@ ") {
		t.Error("the patch has no unified diff of ssl/ssl_lib.c")
	}
}

// TestSetSpecs checks every "--sets" the examples pass against the sample
// project's catalog.
func TestSetSpecs(t *testing.T) {
	proj, err := sets.LoadProject(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := selection.Catalog(proj)
	if err != nil {
		t.Fatal(err)
	}
	spec := regexp.MustCompile(`--sets[ =]([A-Za-z0-9_,-]+)`)
	found := 0
	for _, file := range []string{"project/README.md", "workflow/nixlayer.yml", "../.github/workflows/images.yml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range spec.FindAllStringSubmatch(string(data), -1) {
			found++
			if _, err := catalog.Compose(m[1], nil); err != nil {
				t.Errorf("%s: --sets %s: %v", file, m[1], err)
			}
		}
	}
	if found == 0 {
		t.Error("found no --sets in the examples")
	}
}

func TestModuleExample(t *testing.T) {
	src, err := os.ReadFile("module/main.go")
	if err != nil {
		t.Fatal(err)
	}
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatalf("module/main.go: %v", err)
	}
	if string(formatted) != string(src) {
		t.Error("module/main.go is not gofmt-ed")
	}
	var mod struct {
		Name          string `json:"name"`
		EngineVersion string `json:"engineVersion"`
		Dependencies  []struct {
			Name   string `json:"name"`
			Source string `json:"source"`
		} `json:"dependencies"`
	}
	readJSON(t, "module/dagger.json", &mod)
	if mod.Name != "myapp" || len(mod.Dependencies) != 1 || mod.Dependencies[0].Name != "nixlayer" || mod.Dependencies[0].Source != "github.com/nixlayer/nixlayer" {
		t.Errorf("module/dagger.json does not depend on nixlayer alone: %+v", mod)
	}
	if want := engineVersion(t); mod.EngineVersion != want {
		t.Errorf("module/dagger.json: engineVersion %q, want %q as in the root dagger.json", mod.EngineVersion, want)
	}
	gomod, err := os.ReadFile("module/go.mod")
	if err != nil || !strings.HasPrefix(string(gomod), "module example.com/myapp\n") {
		t.Errorf("module/go.mod must make the example a module of its own: %v\n%s", err, gomod)
	}
}

// TestWorkflows checks that every workflow is valid YAML and that each
// dagger-for-github step runs the engine version of dagger.json.
func TestWorkflows(t *testing.T) {
	files, err := filepath.Glob("../.github/workflows/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "workflow/nixlayer.yml")
	want := strings.TrimPrefix(engineVersion(t), "v")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Name string `yaml:"name"`
			Jobs map[string]struct {
				RunsOn string `yaml:"runs-on"`
				Steps  []struct {
					Uses string            `yaml:"uses"`
					Run  string            `yaml:"run"`
					With map[string]string `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if wf.Name == "" || len(wf.Jobs) == 0 {
			t.Errorf("%s: no name or no jobs", file)
		}
		for name, job := range wf.Jobs {
			if job.RunsOn == "" || len(job.Steps) == 0 {
				t.Errorf("%s: job %s has no runs-on or no steps", file, name)
			}
			for _, step := range job.Steps {
				if strings.HasPrefix(step.Uses, "dagger/dagger-for-github@") && step.With["version"] != want {
					t.Errorf("%s: job %s runs Dagger %q, want %q", file, name, step.With["version"], want)
				}
			}
		}
	}
}

// engineVersion is the engine version of nixlayer's dagger.json.
func engineVersion(t *testing.T) string {
	t.Helper()
	var root struct {
		EngineVersion string `json:"engineVersion"`
	}
	readJSON(t, "../dagger.json", &root)
	return root.EngineVersion
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}
