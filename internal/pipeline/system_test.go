package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// TestCheckSystem checks that a build for another platform on a Nix that
// cannot build it fails in one line, before any work, that says what to
// add to nix.conf, and that one whose extra-platforms list it goes on.
func TestCheckSystem(t *testing.T) {
	testenv.Require(t, "nix")
	other := "aarch64-linux"
	if platform.HostSystem() == other {
		other = "x86_64-linux"
	}
	ctx := context.Background()
	without := &nix.Driver{Env: []string{"NIX_CONFIG=extra-platforms = \nexperimental-features = nix-command"}}
	err := checkSystem(ctx, without, other)
	if !errors.Is(err, usererr.ErrBadInput) || !strings.Contains(err.Error(), `add "extra-platforms = `+other+`" to nix.conf`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("building for %s without it in extra-platforms: %v", other, err)
	}
	with := &nix.Driver{Env: []string{"NIX_CONFIG=extra-platforms = " + other + "\nexperimental-features = nix-command"}}
	if err := checkSystem(ctx, with, other); err != nil {
		t.Errorf("building for %s with it in extra-platforms: %v", other, err)
	}
	if err := checkSystem(ctx, without, platform.HostSystem()); err != nil {
		t.Errorf("building for this machine: %v", err)
	}
}
