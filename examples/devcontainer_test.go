package examples_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// devcontainerJSON is the Python project's devcontainer.json.
const devcontainerJSON = pythonProject + "/.devcontainer/devcontainer.json"

// TestDevcontainerJSON checks that the Python project's devcontainer.json
// is what its README's devcontainer-json command writes: the CLI's
// nixlayer devcontainer-json, with the project file, the command's sets
// and image. With -update, it writes the file.
func TestDevcontainerJSON(t *testing.T) {
	spec, image := devcontainerCommand(t)
	c := newCLI(t)
	cmd := exec.Command(c.bin, "devcontainer-json", "--sets", spec, "--image", image, "--project", projectFile)
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("nixlayer devcontainer-json: %v", err)
	}
	if *update {
		if err := os.WriteFile(devcontainerJSON, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(devcontainerJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what devcontainer-json --sets %s --image %s writes (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", devcontainerJSON, spec, image, got, want)
	}
	var doc struct {
		Customizations struct {
			VSCode struct {
				Extensions []string       `json:"extensions"`
				Settings   map[string]any `json:"settings"`
			} `json:"vscode"`
		} `json:"customizations"`
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Customizations.VSCode.Extensions) == 0 || len(doc.Customizations.VSCode.Settings) == 0 {
		t.Errorf("the sets %s bring no extensions or no settings: the example shows neither", spec)
	}
}

// TestDevcontainerSets checks that every command of the Python project
// that builds, publishes or scans its devcontainer uses the sets that its
// devcontainer.json was written for.
func TestDevcontainerSets(t *testing.T) {
	spec, _ := devcontainerCommand(t)
	root := loadAPI(t, "..")
	found := 0
	for _, d := range documentedCommands(t) {
		if !d.dagger || !strings.HasPrefix(d.where, "examples/"+pythonProject+"/") {
			continue
		}
		for _, c := range parseChain(root, d.args) {
			if c.fn == "devcontainer" || c.flags["kind"] == "devcontainer" {
				found++
				if c.flags["sets"] != spec {
					t.Errorf("%s: %s --sets %q, want %q as for devcontainer.json", d, c.fn, c.flags["sets"], spec)
				}
			}
		}
	}
	if found < 2 {
		t.Errorf("found %d commands of the Python project that build its devcontainer, want at least 2", found)
	}
}

// devcontainerCommand returns the --sets and --image of the Python
// project's README's devcontainer-json command.
func devcontainerCommand(t *testing.T) (spec, image string) {
	t.Helper()
	root := loadAPI(t, "..")
	for _, d := range documentedCommands(t) {
		if !d.dagger || !strings.HasPrefix(d.where, "examples/"+pythonProject+"/README.md:") {
			continue
		}
		for _, c := range parseChain(root, d.args) {
			if c.fn == "devcontainer-json" {
				if c.flags["sets"] == "" || c.flags["image"] == "" {
					t.Fatalf("%s: devcontainer-json without --sets or --image", d)
				}
				return c.flags["sets"], c.flags["image"]
			}
		}
	}
	t.Fatalf("examples/%s/README.md has no devcontainer-json command", pythonProject)
	return "", ""
}

// parseChain reads a dagger call's chain with the root module's API,
// leniently: the flags of a function the module lacks yet are read as
// taking a value each, so that the example can be checked before the
// function exists.
func parseChain(api *daggerAPI, args []string) []call {
	if chain, problems := checkCall(api, args); len(problems) == 0 {
		return chain
	}
	var chain []call
	for i := 0; i < len(args); i++ {
		if name, ok := strings.CutPrefix(args[i], "--"); ok {
			if len(chain) == 0 {
				chain = append(chain, call{flags: map[string]string{}})
			}
			name, value, hasValue := strings.Cut(name, "=")
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			chain[len(chain)-1].flags[name] = value
			continue
		}
		chain = append(chain, call{fn: args[i], flags: map[string]string{}})
	}
	return chain
}
