package examples_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/sets"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// devcontainerJSON is the Python project's devcontainer.json.
const devcontainerJSON = pythonProject + "/.devcontainer/devcontainer.json"

// TestDevcontainerJSON checks the Python project's devcontainer.json
// against what its README's devcontainer-json command asks for: the image
// it names, the devcontainer's user, and the VS Code extensions and
// settings of the sets it names, composed with the project file. With
// -update, it writes the file.
//
// nixlayer devcontainer-json is to write this file; until it does, the
// test writes it as that command is planned to.
func TestDevcontainerJSON(t *testing.T) {
	spec, image := devcontainerCommand(t)
	proj, err := sets.LoadProject(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	sel, _, err := selection.Select(spec, nil, proj, "x86_64-linux")
	if err != nil {
		t.Fatal(err)
	}
	vscode := map[string]any{}
	if len(sel.Extensions) > 0 {
		vscode["extensions"] = sel.Extensions
	}
	if len(sel.Settings) > 0 {
		vscode["settings"] = sel.Settings
	}
	want, err := json.MarshalIndent(map[string]any{
		"image":               image,
		"remoteUser":          rootfs.VSCode.Name,
		"updateRemoteUserUID": true,
		"customizations":      map[string]any{"vscode": vscode},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
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
	if len(sel.Extensions) == 0 || len(sel.Settings) == 0 {
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
