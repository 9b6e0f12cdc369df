package sets

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestBuiltinNamesInCanonicalOrder(t *testing.T) {
	want := []string{
		"base", "vscodeCompat", "devTools", "nixTools", "python", "pythonDev",
		"node", "nodeDev", "go", "goDev", "rust", "rustDev", "bash",
		"java", "javaDev", "cobol", "cobolDev",
	}
	if diff := cmp.Diff(want, Builtin().Names()); diff != "" {
		t.Errorf("Builtin().Names() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuiltinAttrs(t *testing.T) {
	want := map[string][]string{
		"base":         {"bashInteractive", "coreutils", "findutils", "gnugrep", "gnused", "cacert", "tzdata"},
		"vscodeCompat": {"glibc", "stdenv.cc.cc.lib", "gnutar", "gzip", "procps", "getent"},
		"devTools":     {"git", "curl", "jq", "ripgrep", "fd", "fzf", "bat", "shadow", "sudo"},
		"nixTools":     {"nix", "direnv", "nix-direnv"},
		"python":       {"python312"},
		"pythonDev":    {"python312Packages.pip", "python312Packages.virtualenv", "uv", "ruff", "pyright"},
		"node":         {"nodejs_22"},
		"nodeDev":      {"bun", "typescript", "prettier", "eslint"},
		"go":           {"go"},
		"goDev":        {"gopls", "golangci-lint"},
		"rust":         {"rustc", "cargo"},
		"rustDev":      {"rust-analyzer", "clippy", "rustfmt"},
		"bash":         {"shellcheck", "shfmt", "bats"},
		"java":         {"temurin-jre-bin-21"},
		"javaDev":      {"jdk21", "maven", "gradle"},
		"cobol":        {"gnucobol.lib"},
		"cobolDev":     {"gnucobol"},
	}
	got := make(map[string][]string)
	for _, s := range Builtin().Sets() {
		got[s.Name] = s.Attrs
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("built-in attrs mismatch (-want +got):\n%s", diff)
	}
}

func TestBuiltinExtensions(t *testing.T) {
	want := map[string][]string{
		"nixTools": {"mkhl.direnv", "jnoortheen.nix-ide"},
		"python":   {"ms-python.python", "ms-python.vscode-pylance", "ms-python.debugpy", "charliermarsh.ruff"},
		"node":     {"dbaeumer.vscode-eslint", "esbenp.prettier-vscode", "oven.bun-vscode"},
		"go":       {"golang.go"},
		"rust":     {"rust-lang.rust-analyzer", "tamasfe.even-better-toml"},
		"bash":     {"timonwong.shellcheck", "mkhl.shfmt", "jetmartin.bats"},
		"javaDev":  {"redhat.java", "vscjava.vscode-java-debug", "vscjava.vscode-maven", "vscjava.vscode-gradle"},
		"cobol":    {"bitlang.cobol"},
	}
	got := make(map[string][]string)
	for _, s := range Builtin().Sets() {
		if s.Extensions != nil {
			got[s.Name] = s.Extensions
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("built-in extensions mismatch (-want +got):\n%s", diff)
	}
}

func TestBuiltinSettings(t *testing.T) {
	prettier := map[string]any{"editor.defaultFormatter": "esbenp.prettier-vscode", "editor.formatOnSave": true}
	want := map[string]map[string]any{
		"python": {"[python]": map[string]any{"editor.defaultFormatter": "charliermarsh.ruff", "editor.formatOnSave": true}},
		"node": {
			"[javascript]": prettier, "[javascriptreact]": prettier,
			"[typescript]": prettier, "[typescriptreact]": prettier,
			"[json]": prettier, "[jsonc]": prettier,
		},
		"go": {
			"go.toolsManagement.checkForUpdates": "off",
			"[go]":                               map[string]any{"editor.formatOnSave": true},
		},
		"rust":    {"[rust]": map[string]any{"editor.defaultFormatter": "rust-lang.rust-analyzer", "editor.formatOnSave": true}},
		"bash":    {"[shellscript]": map[string]any{"editor.defaultFormatter": "mkhl.shfmt"}},
		"javaDev": {"java.jdt.ls.java.home": "/usr/lib/jvm/default-java"},
	}
	got := make(map[string]map[string]any)
	for _, s := range Builtin().Sets() {
		if s.Settings != nil {
			got[s.Name] = s.Settings
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("built-in settings mismatch (-want +got):\n%s", diff)
	}
}

// TestBuiltinSetsAreWellFormed checks every built-in set the way With
// checks a custom one, plus what only built-in sets promise.
func TestBuiltinSetsAreWellFormed(t *testing.T) {
	sets := Builtin().Sets()
	if len(sets) != 17 {
		t.Fatalf("Builtin() has %d sets, want 17", len(sets))
	}
	for _, s := range sets {
		if reason := setProblem(s); reason != "" {
			t.Errorf("set %q: %s", s.Name, reason)
		}
		for _, a := range s.Attrs {
			if err := ValidAttrPath(a); err != nil {
				t.Errorf("set %q: %v", s.Name, err)
			}
		}
		if s.Description == "" || !strings.HasSuffix(s.Description, ".") || strings.Contains(s.Description, "\n") {
			t.Errorf("set %q: description %q is not one sentence", s.Name, s.Description)
		}
		if s.Source != SourceBuiltin {
			t.Errorf("set %q: Source = %q, want %q", s.Name, s.Source, SourceBuiltin)
		}
		if _, err := json.Marshal(s.Settings); err != nil {
			t.Errorf("set %q: settings are not JSON: %v", s.Name, err)
		}
	}
	// Set names must differ even ignoring case, as With requires.
	if _, err := (Catalog{}).With(sets...); err != nil {
		t.Errorf("built-in sets do not pass With: %v", err)
	}
}

func TestCatalogReturnsCopies(t *testing.T) {
	c := Builtin()
	s := c.Sets()
	s[0].Attrs[0] = "mutated"
	s[4].Extensions[0] = "mutated"
	s[4].Settings["[python]"].(map[string]any)["editor.formatOnSave"] = false
	l, _ := c.Lookup("python")
	l.Settings["new"] = 1
	if diff := cmp.Diff(Builtin().Sets(), c.Sets()); diff != "" {
		t.Errorf("mutating returned sets changed the catalog (-want +got):\n%s", diff)
	}
}

func TestLookup(t *testing.T) {
	c := Builtin()
	s, ok := c.Lookup("goDev")
	if !ok {
		t.Fatal(`Lookup("goDev") found nothing`)
	}
	want := Set{
		Name:        "goDev",
		Description: "Go development tools to use with go: the gopls language server and golangci-lint.",
		Attrs:       []string{"gopls", "golangci-lint"},
		Source:      SourceBuiltin,
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Lookup(goDev) mismatch (-want +got):\n%s", diff)
	}
	for _, name := range []string{"GoDev", "", "nope"} {
		if _, ok := c.Lookup(name); ok {
			t.Errorf("Lookup(%q) found a set, want none", name)
		}
	}
}

func TestWith(t *testing.T) {
	data := Set{Name: "dataTools", Attrs: []string{"duckdb"}, Source: "nixlayer.yaml"}
	web := Set{Name: "web", Attrs: []string{"caddy"}, Extensions: []string{"a.b"}, Settings: map[string]any{"k": []any{1.0}}}
	base := Builtin()
	c, err := base.With(data, web)
	if err != nil {
		t.Fatalf("With: %v", err)
	}
	wantNames := append(base.Names(), "dataTools", "web")
	if diff := cmp.Diff(wantNames, c.Names()); diff != "" {
		t.Errorf("names mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(base.Sets(), Builtin().Sets()); diff != "" {
		t.Errorf("With changed its receiver (-want +got):\n%s", diff)
	}
	web.Settings["k"].([]any)[0] = 2.0
	if got, _ := c.Lookup("web"); got.Settings["k"].([]any)[0] != 1.0 {
		t.Errorf("With kept a reference to the caller's settings")
	}
}

func TestWithErrors(t *testing.T) {
	tests := []struct {
		name string
		set  Set
		want string
	}{
		{"builtin name", Set{Name: "python", Attrs: []string{"jq"}, Source: "p.yaml"},
			`adding set "python": the name is taken by set "python" from builtin`},
		{"case clash", Set{Name: "Python", Attrs: []string{"jq"}},
			`adding set "Python": the name is taken by set "python" from builtin`},
		{"bad name", Set{Name: "data tools", Attrs: []string{"jq"}},
			`adding set "data tools": invalid set name: character ' ' is not allowed (use letters, digits, _ and -)`},
		{"no attrs", Set{Name: "empty"},
			`adding set "empty": it has no attributes`},
		{"bad attr", Set{Name: "x", Attrs: []string{"jq", "a..b"}},
			`adding set "x": invalid attribute path "a..b": it has an empty component`},
		{"bad extension", Set{Name: "x", Attrs: []string{"jq"}, Extensions: []string{"nodot"}},
			`adding set "x": invalid extension ID "nodot": it must have the form "publisher.name"`},
		{"bad settings", Set{Name: "x", Attrs: []string{"jq"}, Settings: map[string]any{"f": func() {}}},
			`adding set "x": its settings cannot be written as JSON: json: unsupported type: func()`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Builtin().With(tt.set)
			if err == nil {
				t.Fatalf("With succeeded, want error %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("error %v does not wrap usererr.ErrBadInput", err)
			}
		})
	}
	a := Set{Name: "dup", Attrs: []string{"jq"}, Source: "a.yaml"}
	_, err := Builtin().With(a, a)
	if want := `adding set "dup": the name is taken by set "dup" from a.yaml`; err == nil || err.Error() != want {
		t.Errorf("With(a, a) error = %v, want %q", err, want)
	}
}
