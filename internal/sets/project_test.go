package sets

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestParseProjectGolden decodes testdata/project.yaml and compares the
// result, as indented JSON, with testdata/project.golden.json.
func TestParseProjectGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "project.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	proj, err := ParseProject(DefaultProjectFile, data)
	if err != nil {
		t.Fatalf("ParseProject: %v", err)
	}
	got, err := json.MarshalIndent(proj, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "project.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("decoded project mismatch (-want +got):\n%s", diff)
	}

	// The custom sets must be acceptable to a catalog and composable.
	c, err := Builtin().With(proj.Sets...)
	if err != nil {
		t.Fatalf("With(project sets): %v", err)
	}
	if _, err := c.Compose("base,dataTools,web_2", proj.Packages); err != nil {
		t.Errorf("Compose: %v", err)
	}
}

// TestParseProjectStruct checks a small file field by field, which the
// golden file cannot show (for example the Go types of setting values).
func TestParseProjectStruct(t *testing.T) {
	data := `
sets:
  dataTools:
    description: Tools the data team uses.
    attrs: [duckdb, python312Packages.pandas]
    extensions: [ms-toolsai.jupyter]
    settings: {"jupyter.askForKernelRestart": false, n: 3, l: [x, 1.5]}
packages: [htop]
overlays: [nix/overlays/openssl-cve.nix]
`
	want := &Project{
		Path: "p.yaml",
		Sets: []Set{{
			Name:        "dataTools",
			Description: "Tools the data team uses.",
			Attrs:       []string{"duckdb", "python312Packages.pandas"},
			Extensions:  []string{"ms-toolsai.jupyter"},
			Settings:    map[string]any{"jupyter.askForKernelRestart": false, "n": 3, "l": []any{"x", 1.5}},
			Source:      "p.yaml",
		}},
		Packages: []Attr{{Path: "htop", Origin: "p.yaml packages"}},
		Overlays: []Overlay{{Path: "nix/overlays/openssl-cve.nix", Line: 9}},
	}
	got, err := ParseProject("p.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseProject mismatch (-want +got):\n%s", diff)
	}
}

func TestParseProjectEmpty(t *testing.T) {
	for _, data := range []string{"", "\n", "# only a comment\n", "---\n", "~\n", "sets:\npackages:\noverlays:\n", "{}\n"} {
		got, err := ParseProject("p.yaml", []byte(data))
		if err != nil {
			t.Errorf("ParseProject(%q): %v", data, err)
			continue
		}
		if diff := cmp.Diff(&Project{Path: "p.yaml"}, got); diff != "" {
			t.Errorf("ParseProject(%q) mismatch (-want +got):\n%s", data, diff)
		}
	}
}

// projectErrorTests are malformed project files and the exact errors they
// give. The YAML decoder reports some syntax errors at the line where the
// enclosing block starts rather than at the offending line. The fuzz test uses them as seeds.
var projectErrorTests = []struct {
	name string
	data string
	want string
}{
	// YAML syntax.
	{"unclosed flow list", "packages: [htop\n", `nixlayer.yaml:1: invalid YAML: did not find expected ',' or ']'`},
	{"bad indentation", "sets:\n  a:\n    attrs: [jq]\n   b: 1\n", `nixlayer.yaml:1: invalid YAML: did not find expected key`},
	{"tab indentation", "\tsets: {}\n", `nixlayer.yaml:1: invalid YAML: found character that cannot start any token`},
	{"unknown anchor", "packages:\n  - *pkgs\n", `nixlayer.yaml:2: invalid YAML: unknown anchor 'pkgs' referenced`},
	{"two documents", "packages: [htop]\n---\npackages: [jq]\n", `nixlayer.yaml:2: found a second YAML document; a project file holds only one`},
	{"alias", "sets:\n  a: &x {attrs: [jq]}\n  b: *x\n", `nixlayer.yaml:3: aliases such as *x are not supported; write the value out`},
	{"merge key", "sets:\n  a: &x {attrs: [jq]}\n  b:\n    <<: *x\n", `nixlayer.yaml:4: aliases such as *x are not supported; write the value out`},

	// Structure and types.
	{"top level list", "- htop\n", `nixlayer.yaml:1: the top level must be a mapping with the keys sets, packages and overlays, not a list`},
	{"top level string", "htop\n", `nixlayer.yaml:1: the top level must be a mapping with the keys sets, packages and overlays, not a string`},
	{"unknown top key", "sets: {}\npacakges: [htop]\n", `nixlayer.yaml:2: unknown key "pacakges" at the top level (did you mean "packages"?); expected sets, packages or overlays`},
	{"unknown top key far", "image: foo\n", `nixlayer.yaml:1: unknown key "image" at the top level; expected sets, packages or overlays`},
	{"repeated top key", "packages: [htop]\n\npackages: [jq]\n", `nixlayer.yaml:3: key "packages" appears twice at the top level (first on line 1)`},
	{"non-string key", "[a]: 1\n", `nixlayer.yaml:1: the top level: keys must be strings, not a list (quote keys such as "[python]")`},
	{"sets is a list", "sets:\n  - dataTools\n", `nixlayer.yaml:2: sets must be a mapping from set names to sets, not a list`},
	{"set is a string", "sets:\n  dataTools: duckdb\n", `nixlayer.yaml:2: sets.dataTools must be a mapping with the keys description, attrs, extensions and settings, not a string`},
	{"unknown set key", "sets:\n  x:\n    atrs: [jq]\n", `nixlayer.yaml:3: unknown key "atrs" in sets.x (did you mean "attrs"?); expected description, attrs, extensions or settings`},
	{"repeated set key", "sets:\n  x:\n    attrs: [jq]\n    attrs: [git]\n", `nixlayer.yaml:4: key "attrs" appears twice in sets.x (first on line 3)`},
	{"attrs is a string", "sets:\n  x:\n    attrs: jq\n", `nixlayer.yaml:3: sets.x.attrs must be a list, not a string`},
	{"attrs item is a list", "sets:\n  x:\n    attrs:\n      - jq\n      - [git]\n", `nixlayer.yaml:5: sets.x.attrs: each item must be a string, not a list`},
	{"attrs item is a number", "sets:\n  x:\n    attrs: [jq, 42]\n", `nixlayer.yaml:3: sets.x.attrs: each item must be a string, not the number 42 (quote it to make it a string)`},
	{"description is a list", "sets:\n  x:\n    description: [a]\n    attrs: [jq]\n", `nixlayer.yaml:3: sets.x.description must be a string, not a list`},
	{"description is a bool", "sets:\n  x:\n    description: true\n    attrs: [jq]\n", `nixlayer.yaml:3: sets.x.description must be a string, not the boolean true (quote it to make it a string)`},
	{"extensions is a mapping", "sets:\n  x:\n    attrs: [jq]\n    extensions: {a: b}\n", `nixlayer.yaml:4: sets.x.extensions must be a list, not a mapping`},
	{"settings is a list", "sets:\n  x:\n    attrs: [jq]\n    settings: [a]\n", `nixlayer.yaml:4: sets.x.settings must be a mapping from setting names to values, not a list`},
	{"unquoted bracket key", "sets:\n  x:\n    attrs: [jq]\n    settings:\n      [python]: {editor.formatOnSave: true}\n", `nixlayer.yaml:5: sets.x.settings: keys must be strings, not a list (quote keys such as "[python]")`},
	{"repeated setting", "sets:\n  x:\n    attrs: [jq]\n    settings:\n      a: 1\n      a: 2\n", `nixlayer.yaml:6: key "a" appears twice in sets.x.settings (first on line 5)`},
	{"NaN setting", "sets:\n  x:\n    attrs: [jq]\n    settings:\n      n: {v: .nan}\n", `nixlayer.yaml:5: sets.x.settings["n"]["v"]: .nan cannot be written as JSON`},
	{"binary setting", "sets:\n  x:\n    attrs: [jq]\n    settings:\n      b: !!binary aGk=\n", `nixlayer.yaml:5: sets.x.settings["b"]: values tagged !!binary are not supported`},
	{"bad int setting", "sets:\n  x:\n    attrs: [jq]\n    settings:\n      l: [1, !!int x]\n", `nixlayer.yaml:5: sets.x.settings["l"][1]: "x" is not a valid !!int`},
	{"packages is a string", "packages: htop\n", `nixlayer.yaml:1: packages must be a list, not a string`},
	{"overlays is a mapping", "overlays: {a: b.nix}\n", `nixlayer.yaml:1: overlays must be a list, not a mapping`},

	// Set names.
	{"builtin name", "sets:\n  dataTools: {attrs: [duckdb]}\n  python:\n    attrs: [python311]\n", `nixlayer.yaml:3: set "python" is built in; choose another name`},
	{"builtin name in other case", "sets:\n  GO:\n    attrs: [go_1_22]\n", `nixlayer.yaml:2: set "GO" differs from the built-in set "go" only in case; choose another name`},
	{"duplicate set", "sets:\n  x:\n    attrs: [jq]\n  x:\n    attrs: [git]\n", `nixlayer.yaml:4: set "x" is defined twice (first on line 2)`},
	{"duplicate set in other case", "sets:\n  dataTools:\n    attrs: [jq]\n  datatools:\n    attrs: [git]\n", `nixlayer.yaml:4: set "datatools" differs from set "dataTools" (line 2) only in case; choose another name`},
	{"set name with space", "sets:\n  data tools:\n    attrs: [jq]\n", `nixlayer.yaml:2: invalid set name "data tools": character ' ' is not allowed (use letters, digits, _ and -)`},
	{"set name with digit first", "sets:\n  2fast:\n    attrs: [jq]\n", `nixlayer.yaml:2: invalid set name "2fast": it must start with a letter`},
	{"null set name", "sets:\n  ~:\n    attrs: [jq]\n", `nixlayer.yaml:2: sets: keys must be strings, not null`},

	// Set contents.
	{"set without body", "sets:\n  x:\n", `nixlayer.yaml:2: set "x" has no attrs; a set needs at least one attribute`},
	{"set without attrs", "sets:\n  x:\n    description: nothing\n", `nixlayer.yaml:2: set "x" has no attrs; a set needs at least one attribute`},
	{"empty attrs", "sets:\n  x:\n    attrs: []\n", `nixlayer.yaml:3: sets.x.attrs is empty; a set needs at least one attribute`},
	{"null attrs", "sets:\n  x:\n    attrs:\n", `nixlayer.yaml:3: sets.x.attrs is empty; a set needs at least one attribute`},
	{"invalid attr", "sets:\n  x:\n    attrs:\n      - jq\n      - foo bar\n", `nixlayer.yaml:5: sets.x.attrs: invalid attribute path "foo bar": character ' ' is not allowed (use letters, digits, _, ' and -)`},
	{"keyword attr", "sets:\n  x:\n    attrs: [pkgs.with]\n", `nixlayer.yaml:3: sets.x.attrs: invalid attribute path "pkgs.with": component "with" is a Nix keyword`},
	{"repeated attr", "sets:\n  x:\n    attrs:\n      - jq\n      - git\n      - jq\n", `nixlayer.yaml:6: sets.x.attrs: "jq" is listed twice (first on line 4)`},
	{"invalid extension", "sets:\n  x:\n    attrs: [jq]\n    extensions: [golang]\n", `nixlayer.yaml:4: sets.x.extensions: invalid extension ID "golang": it must have the form "publisher.name"`},

	// Packages and overlays.
	{"invalid package", "packages:\n  - htop\n  - 'pkgs.${x}'\n", `nixlayer.yaml:3: packages: invalid attribute path "pkgs.${x}": component "${x}" must start with a letter or _`},
	{"empty package", "packages: ['']\n", `nixlayer.yaml:1: packages: invalid attribute path "": it is empty`},
	{"repeated package", "packages:\n  - htop\n  - htop\n", `nixlayer.yaml:3: packages: "htop" is listed twice (first on line 2)`},
	{"empty overlay", "overlays:\n  - a.nix\n  - ''\n", `nixlayer.yaml:3: overlays: overlay path is empty`},
	{"overlay not .nix", "overlays:\n  - nix/overlay.txt\n", `nixlayer.yaml:2: overlays: overlay "nix/overlay.txt" is not a .nix file`},
	{"repeated overlay", "overlays:\n  - a.nix\n  - b.nix\n  - a.nix\n", `nixlayer.yaml:4: overlays: "a.nix" is listed twice (first on line 2)`},
	{"overlay is a number", "overlays: [1]\n", `nixlayer.yaml:1: overlays: each item must be a string, not the number 1 (quote it to make it a string)`},
}

func TestParseProjectErrors(t *testing.T) {
	for _, tt := range projectErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			proj, err := ParseProject(DefaultProjectFile, []byte(tt.data))
			if err == nil {
				t.Fatalf("ParseProject succeeded with %+v, want error %q", proj, want)
			}
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			var pe *ProjectError
			if !errors.As(err, &pe) || pe.File != DefaultProjectFile || !strings.HasPrefix(want, fmt.Sprintf("%s:%d: ", pe.File, pe.Line)) {
				t.Errorf("error %#v is not a *ProjectError for the expected line", err)
			}
			if !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("error does not wrap usererr.ErrBadInput")
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
