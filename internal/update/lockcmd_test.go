package update

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseNixVersion(t *testing.T) {
	for out, want := range map[string]NixVersion{
		"nix (Nix) 2.8.0\n":                       {2, 8},
		"nix (Nix) 2.35.2":                        {2, 35},
		"nix (Nix) 2.30.0pre20250601_dirty":       {2, 30},
		"nix (Determinate Nix 3.6.2) 2.29.0":      {2, 29},
		"nix (Lix, like Nix) 2.91.1\nSystem: x86": {2, 91},
		"nix (Nix) 3.0":                           {3, 0},
	} {
		got, err := ParseNixVersion(out)
		if err != nil || got != want {
			t.Errorf("ParseNixVersion(%q) = %v, %v; want %v", out, got, err, want)
		}
	}
	for _, bad := range []string{"", "nix", "guix (GNU Guix) 1.4.0", "nix (Nix) two", "nix (Nix) 2"} {
		if got, err := ParseNixVersion(bad); err == nil {
			t.Errorf("ParseNixVersion(%q) = %v, want an error", bad, got)
		}
	}
}

func TestUpdateArgs(t *testing.T) {
	tests := []struct {
		v    NixVersion
		want []string
	}{
		{NixVersion{2, 8}, []string{"flake", "lock", "--update-input", "nixpkgs", "--", "path:/w"}},
		{NixVersion{2, 18}, []string{"flake", "lock", "--update-input", "nixpkgs", "--", "path:/w"}},
		{NixVersion{2, 19}, []string{"flake", "update", "--flake", "path:/w", "--", "nixpkgs"}},
		{NixVersion{2, 35}, []string{"flake", "update", "--flake", "path:/w", "--", "nixpkgs"}},
		{NixVersion{3, 1}, []string{"flake", "update", "--flake", "path:/w", "--", "nixpkgs"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, UpdateArgs(tt.v, "path:/w", "nixpkgs")); diff != "" {
			t.Errorf("Nix %s (-want +got):\n%s", tt.v, diff)
		}
	}
	want := []string{"flake", "lock", "--override-input", "nixpkgs", "github:NixOS/nixpkgs/0123", "--", "path:/w"}
	if diff := cmp.Diff(want, LockToArgs("path:/w", "nixpkgs", "github:NixOS/nixpkgs/0123")); diff != "" {
		t.Errorf("LockToArgs (-want +got):\n%s", diff)
	}
}
