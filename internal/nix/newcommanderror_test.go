package nix_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
)

func TestNewCommandError(t *testing.T) {
	argv := []string{"nix", "--extra-experimental-features", "nix-command flakes", "eval", "--json", "--", "path:/nixlayer/work#nixlayer.x86_64-linux"}
	stderr := "warning: not writing modified lock file of flake 'path:/nixlayer/work':\n" +
		"error:\n       … while evaluating the attribute 'fd'\n\n       error: undefined variable 'undefinedThing'\n" +
		"       at /nix/store/xxx-source/project/0/bad.nix:1:21:\n            1| final: prev: { fd = undefinedThing; }\n             |                     ^\n"
	err := error(nix.NewCommandError("eval", argv, 1, stderr))
	want := "nix eval: exit status 1: error: undefined variable 'undefinedThing' | at /nix/store/xxx-source/project/0/bad.nix:1:21: | 1| final: prev: { fd = undefinedThing; }"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	ce, ok := errors.AsType[*nix.CommandError](err)
	if !ok || ce.Args[0] != "--extra-experimental-features" {
		t.Errorf("CommandError does not carry the arguments: %#v", ce)
	}

	long := strings.Repeat("building x\n", 1000) + "error: builder for '/nix/store/yyy-fd.drv' failed with exit code 1\n"
	ce = nix.NewCommandError("build", nil, 1, long)
	if len(ce.Stderr) > 4<<10 || strings.HasPrefix(ce.Stderr, "uilding") || !strings.HasSuffix(ce.Stderr, "exit code 1\n") {
		t.Errorf("stderr not cut to its last 4 KiB at a line: %d bytes starting %.20q", len(ce.Stderr), ce.Stderr)
	}
	if got := ce.Error(); got != "nix build: exit status 1: error: builder for '/nix/store/yyy-fd.drv' failed with exit code 1" {
		t.Errorf("Error() = %q", got)
	}
}
