// Package examples_test checks the examples, the workflows and the
// documented commands against the code, so that they cannot rot:
//
//   - the Python project's file loads and composes, its overlay's files
//     exist, and its devcontainer.json holds what its sets give
//     (devcontainer_test.go);
//   - every set spec the examples and workflows pass is valid;
//   - the Dagger modules of examples/go and tests/, which only the engine
//     can compile, are gofmt-ed, depend on this checkout, and use
//     nixlayer's functions and arguments as they are (modules_test.go);
//   - every workflow pins its actions by commit, runs dagger.json's engine
//     version and writes only what it needs (workflows_test.go);
//   - every nixlayer and dagger call command of the READMEs, the docs and
//     the workflows has the commands, functions and flags it names
//     (commands_test.go).
package examples_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// pythonProject is the Python example, and projectFile its project file.
const (
	pythonProject = "python-project"
	projectFile   = pythonProject + "/nixlayer.yaml"
)

func TestProjectComposes(t *testing.T) {
	proj, err := sets.LoadProject(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(proj.Sets) != 0 {
		t.Errorf("the project defines sets %v, want none: it only adds a package and an overlay", proj.Sets)
	}
	sel, req, err := selection.Select("python,base", []string{"ripgrep"}, proj, "x86_64-linux")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"base", "python"}, sel.Sets); diff != "" {
		t.Errorf("selected sets (-want +got):\n%s", diff)
	}
	origins := map[string]string{}
	for _, a := range sel.Attrs {
		origins[a.Path] = a.Origin
	}
	want := map[string]string{
		"bashInteractive":            "base",
		"python312":                  "python",
		"python312Packages.requests": projectFile + " packages",
		"ripgrep":                    selection.PackagesOrigin,
	}
	for attr, origin := range want {
		if origins[attr] != origin {
			t.Errorf("attribute %s comes from %q, want %q", attr, origins[attr], origin)
		}
	}
	overlay, _ := filepath.Abs(pythonProject + "/overlays/openssl-cve.nix")
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
	overlays, err := filepath.Glob(pythonProject + "/overlays/*.nix")
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
	patch, err := os.ReadFile(pythonProject + "/overlays/CVE-2024-5535.patch")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(patch), "\n--- a/ssl/ssl_lib.c\n+++ b/ssl/ssl_lib.c\n@@ ") {
		t.Error("the patch has no unified diff of ssl/ssl_lib.c")
	}
}

// TestSetSpecs checks every --sets that the examples, the tests module's
// README and the workflows pass: each composes, with the Python project's
// sets for the commands of that project.
func TestSetSpecs(t *testing.T) {
	proj, err := sets.LoadProject(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, d := range documentedCommands(t) {
		if !strings.HasPrefix(d.where, "examples/") && !strings.HasPrefix(d.where, "tests/") && !strings.HasPrefix(d.where, ".github/") {
			continue // the main README's examples use a project of their own
		}
		var p *sets.Project
		if strings.HasPrefix(d.where, "examples/"+pythonProject+"/") {
			p = proj
		}
		catalog, err := selection.Catalog(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range d.args {
			spec, ok := strings.CutPrefix(w, "--sets=")
			if !ok && w == "--sets" && i+1 < len(d.args) {
				spec, ok = d.args[i+1], true
			}
			if !ok {
				continue
			}
			found++
			if _, err := catalog.Compose(spec, nil); err != nil {
				t.Errorf("%s: --sets %s: %v", d, spec, err)
			}
		}
	}
	if found < 10 {
		t.Errorf("found %d --sets in the examples and workflows, want at least 10", found)
	}
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

// markdownLink matches a Markdown link's target.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocumentLinks checks that every relative link of the READMEs and the
// docs names a file or directory of the repository, so that renaming an
// example cannot leave a link behind.
func TestDocumentLinks(t *testing.T) {
	links := 0
	for _, doc := range documents(t) {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range markdownLink.FindAllStringSubmatch(string(data), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			links++
			if _, err := os.Stat(filepath.Join(filepath.Dir(doc), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", repoPath(doc), m[1])
			}
		}
	}
	if links == 0 {
		t.Error("found no relative links")
	}
}
