package sets

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func attrs(origin string, paths ...string) []Attr {
	out := make([]Attr, len(paths))
	for i, p := range paths {
		out[i] = Attr{Path: p, Origin: origin}
	}
	return out
}

func concat[T any](parts ...[]T) []T {
	var out []T
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// testCatalog is the built-in catalog plus custom sets that overlap with it,
// to exercise deduplication and settings merging.
func testCatalog(t *testing.T) Catalog {
	t.Helper()
	c, err := Builtin().With(
		Set{
			Name:       "dataTools",
			Attrs:      []string{"duckdb", "jq", "python312"},
			Extensions: []string{"ms-toolsai.jupyter", "MS-Python.Python"},
			Settings: map[string]any{
				"[python]":                    map[string]any{"editor.formatOnSave": false},
				"jupyter.askForKernelRestart": false,
			},
		},
		Set{Name: "more", Attrs: []string{"htop"}, Settings: map[string]any{"jupyter.askForKernelRestart": true}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCompose(t *testing.T) {
	base := attrs("base", "bashInteractive", "coreutils", "findutils", "gnugrep", "gnused", "cacert", "tzdata")
	python := attrs("python", "python312")
	pythonSettings := map[string]any{
		"[python]": map[string]any{"editor.defaultFormatter": "charliermarsh.ruff", "editor.formatOnSave": true},
	}
	pythonExt := []string{"ms-python.python", "ms-python.vscode-pylance", "ms-python.debugpy", "charliermarsh.ruff"}
	basePython := Selection{
		Sets:       []string{"base", "python"},
		Attrs:      concat(base, python),
		Extensions: pythonExt,
		Settings:   pythonSettings,
	}
	tests := []struct {
		name  string
		spec  string
		extra []Attr
		want  Selection
	}{
		{name: "one set", spec: "base", want: Selection{Sets: []string{"base"}, Attrs: base}},
		{name: "canonical order", spec: "base,python", want: basePython},
		{name: "order ignored", spec: "python,base", want: basePython},
		{name: "repeats ignored", spec: " base , python,base", want: basePython},
		{
			name:  "extras after sets, deduplicated",
			spec:  "python,base",
			extra: concat(attrs("--packages", "htop", "jq", "coreutils", "htop"), attrs("", "tree")),
			want: Selection{
				Sets:       []string{"base", "python"},
				Attrs:      concat(base, python, attrs("--packages", "htop", "jq"), attrs(OriginExtra, "tree")),
				Extensions: pythonExt,
				Settings:   pythonSettings,
			},
		},
		{
			name: "custom sets after built-ins, first origin wins, settings merged",
			spec: "more,dataTools,devTools,python",
			want: Selection{
				Sets: []string{"devTools", "python", "dataTools", "more"},
				Attrs: concat(
					attrs("devTools", "git", "curl", "jq", "ripgrep", "fd", "fzf", "bat", "shadow", "sudo"),
					python,
					attrs("dataTools", "duckdb"),
					attrs("more", "htop"),
				),
				Extensions: append(pythonExt[:4:4], "ms-toolsai.jupyter"),
				Settings: map[string]any{
					"[python]":                    map[string]any{"editor.formatOnSave": false},
					"jupyter.askForKernelRestart": true,
				},
			},
		},
		{
			name: "go and node settings",
			spec: "go,node",
			want: Selection{
				Sets:       []string{"node", "go"},
				Attrs:      concat(attrs("node", "nodejs_22"), attrs("go", "go")),
				Extensions: []string{"dbaeumer.vscode-eslint", "esbenp.prettier-vscode", "oven.bun-vscode", "golang.go"},
				Settings: func() map[string]any {
					m := prettierSettings("javascript", "javascriptreact", "typescript", "typescriptreact", "json", "jsonc")
					m["go.toolsManagement.checkForUpdates"] = "off"
					m["[go]"] = map[string]any{"editor.formatOnSave": true}
					return m
				}(),
			},
		},
	}
	c := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Compose(tt.spec, tt.extra)
			if err != nil {
				t.Fatalf("Compose(%q): %v", tt.spec, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Compose(%q) mismatch (-want +got):\n%s", tt.spec, diff)
			}
		})
	}
}

func TestComposeDoesNotShareSettings(t *testing.T) {
	c := Builtin()
	sel, err := c.Compose("python", nil)
	if err != nil {
		t.Fatal(err)
	}
	sel.Settings["[python]"].(map[string]any)["editor.formatOnSave"] = false
	again, _ := c.Compose("python", nil)
	if again.Settings["[python]"].(map[string]any)["editor.formatOnSave"] != true {
		t.Error("changing a Selection's settings changed the catalog")
	}
}

func TestComposeErrors(t *testing.T) {
	known := "known sets: base, vscodeCompat, devTools, nixTools, python, pythonDev, node, nodeDev, go, goDev, rust, rustDev, bash, java, javaDev, cobol, cobolDev, dataTools, more"
	tests := []struct {
		name       string
		spec       string
		extra      []Attr
		want       string
		suggestion string // for *UnknownSetError
	}{
		{"transposed letters", "pyhton", nil,
			`unknown set "pyhton" (did you mean "python"?); ` + known, "python"},
		{"wrong case", "base,PythonDev", nil,
			`unknown set "PythonDev" (did you mean "pythonDev"?); ` + known, "pythonDev"},
		{"prefix", "vscode", nil,
			`unknown set "vscode" (did you mean "vscodeCompat"?); ` + known, "vscodeCompat"},
		{"custom set", "datatool", nil,
			`unknown set "datatool" (did you mean "dataTools"?); ` + known, "dataTools"},
		{"short and far", "js", nil, `unknown set "js"; ` + known, ""},
		{"nothing close", "haskell", nil, `unknown set "haskell"; ` + known, ""},
		{"first unknown reported", "base,nope,pyhton", nil, `unknown set "nope" (did you mean "node"?); ` + known, "node"},
		{"empty", "", nil,
			`parsing set spec: it is empty; list sets separated by commas, such as "base,python"`, ""},
		{"only commas", " ,, ", nil,
			`parsing set spec " ,, ": it has an empty set name; separate set names with single commas, such as "base,python"`, ""},
		{"bad extra", "base", attrs("--packages", "htop", "foo bar"),
			`invalid attribute path "foo bar" from --packages: character ' ' is not allowed (use letters, digits, _, ' and -)`, ""},
		{"bad extra without origin", "base", attrs("", ""),
			`invalid attribute path "" from extra: it is empty`, ""},
	}
	c := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Compose(tt.spec, tt.extra)
			if err == nil {
				t.Fatalf("Compose(%q) succeeded, want error %q", tt.spec, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("error %v does not wrap usererr.ErrBadInput", err)
			}
			var unknown *UnknownSetError
			if errors.As(err, &unknown) != strings.HasPrefix(tt.want, "unknown set") {
				t.Fatalf("errors.As(%T, *UnknownSetError) = %v", err, !strings.HasPrefix(tt.want, "unknown set"))
			}
			if unknown != nil && unknown.Suggestion != tt.suggestion {
				t.Errorf("Suggestion = %q, want %q", unknown.Suggestion, tt.suggestion)
			}
		})
	}
}

func TestComposeEmptyCatalog(t *testing.T) {
	_, err := Catalog{}.Compose("base", nil)
	if want := `unknown set "base"; no sets are defined`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestSuggest(t *testing.T) {
	names := Builtin().Names()
	tests := []struct{ name, want string }{
		{"pyhton", "python"},
		{"Python", "python"},
		{"rsut", "rust"},
		{"rus", "rust"},
		{"gp", "go"},
		{"nod", "node"},
		{"basee", "base"},
		{"devtools", "devTools"},
		{"nixtool", "nixTools"},
		{"vscode", "vscodeCompat"},
		{"js", ""},
		{"go2", "go"},
		{"x", ""},
		{"", ""},
		{"haskell", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.name, names); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
