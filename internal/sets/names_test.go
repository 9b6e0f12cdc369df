package sets

import (
	"errors"
	"testing"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestValidAttrPath(t *testing.T) {
	tests := []struct {
		path string
		want string // "" for valid
	}{
		{"jq", ""},
		{"python312Packages.pip", ""},
		{"stdenv.cc.cc.lib", ""},
		{"nix-direnv", ""},
		{"_private", ""},
		{"haskellPackages.lens'", ""},
		{"", `invalid attribute path "": it is empty`},
		{".jq", `invalid attribute path ".jq": it has an empty component`},
		{"jq.", `invalid attribute path "jq.": it has an empty component`},
		{"a..b", `invalid attribute path "a..b": it has an empty component`},
		{"3dtools", `invalid attribute path "3dtools": component "3dtools" must start with a letter or _`},
		{"pkgs.-x", `invalid attribute path "pkgs.-x": component "-x" must start with a letter or _`},
		{"foo bar", `invalid attribute path "foo bar": character ' ' is not allowed (use letters, digits, _, ' and -)`},
		{"a/b", `invalid attribute path "a/b": character '/' is not allowed (use letters, digits, _, ' and -)`},
		{"pkgs.${x}", `invalid attribute path "pkgs.${x}": component "${x}" must start with a letter or _`},
		{"café", `invalid attribute path "café": character 'é' is not allowed (use letters, digits, _, ' and -)`},
		{"pkgs.let", `invalid attribute path "pkgs.let": component "let" is a Nix keyword`},
		{"or", `invalid attribute path "or": component "or" is a Nix keyword`},
	}
	for _, tt := range tests {
		err := ValidAttrPath(tt.path)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ValidAttrPath(%q) = %v, want nil", tt.path, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("ValidAttrPath(%q) = %v, want %q", tt.path, err, tt.want)
		case err != nil && !errors.Is(err, usererr.ErrBadInput):
			t.Errorf("ValidAttrPath(%q) error does not wrap usererr.ErrBadInput", tt.path)
		}
	}
}

func TestValidExtensionID(t *testing.T) {
	tests := []struct {
		id   string
		want string
	}{
		{"golang.go", ""},
		{"ms-python.vscode-pylance", ""},
		{"rust-lang.rust-analyzer", ""},
		{"4ops.terraform", ""},
		{"", `invalid extension ID "": it must have the form "publisher.name"`},
		{"golang", `invalid extension ID "golang": it must have the form "publisher.name"`},
		{"a.b.c", `invalid extension ID "a.b.c": it must have the form "publisher.name"`},
		{".go", `invalid extension ID ".go": it must have the form "publisher.name"`},
		{"-x.go", `invalid extension ID "-x.go": "-x" must start with a letter or digit`},
		{"golang.g o", `invalid extension ID "golang.g o": character ' ' is not allowed (use letters, digits and -)`},
	}
	for _, tt := range tests {
		err := ValidExtensionID(tt.id)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("ValidExtensionID(%q) = %v, want nil", tt.id, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("ValidExtensionID(%q) = %v, want %q", tt.id, err, tt.want)
		case err != nil && !errors.Is(err, usererr.ErrBadInput):
			t.Errorf("ValidExtensionID(%q) error does not wrap usererr.ErrBadInput", tt.id)
		}
	}
}

func TestSetNameProblem(t *testing.T) {
	tests := []struct{ name, want string }{
		{"dataTools", ""},
		{"data-tools_2", ""},
		{"", "it is empty"},
		{"2fast", "it must start with a letter"},
		{"_x", "it must start with a letter"},
		{"a.b", "character '.' is not allowed (use letters, digits, _ and -)"},
	}
	for _, tt := range tests {
		if got := setNameProblem(tt.name); got != tt.want {
			t.Errorf("setNameProblem(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
