package nix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDevelopCommand(t *testing.T) {
	d := &Driver{Bin: "/usr/bin/nix", Store: "/tmp/s/root", Args: []string{"--quiet"}, FlakeArgs: []string{"--override-input", "nixpkgs", "path:/n"}}
	for _, tc := range []struct {
		command []string
		want    []string
	}{
		{nil, []string{"/usr/bin/nix", "--extra-experimental-features", "nix-command flakes", "--store", "/tmp/s/root", "--quiet",
			"develop", "--override-input", "nixpkgs", "path:/n", "path:/w#devShells.x86_64-linux.default"}},
		// The command's words are its own, flags or not.
		{[]string{"python3", "-c", "print(1)", "--store"}, []string{"/usr/bin/nix", "--extra-experimental-features", "nix-command flakes", "--store", "/tmp/s/root", "--quiet",
			"develop", "--override-input", "nixpkgs", "path:/n", "path:/w#devShells.x86_64-linux.default", "--command", "python3", "-c", "print(1)", "--store"}},
	} {
		if diff := cmp.Diff(tc.want, d.DevelopCommand("path:/w#devShells.x86_64-linux.default", tc.command)); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tc.command, diff)
		}
	}
}
