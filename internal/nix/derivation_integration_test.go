package nix_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestDerivationsIntegration reads the derivations of a built path on the
// machine's Nix, whichever of "derivation show" and "show-derivation" it has.
func TestDerivationsIntegration(t *testing.T) {
	store, env := testenv.NixEnv(t)
	flake, system := writeTestFlake(t)
	d := &nix.Driver{Store: store, Env: env}
	ctx := t.Context()
	results, err := d.Build(ctx, []string{flake + "#packages." + system + ".app"})
	if err != nil {
		t.Fatal(err)
	}
	app := results[0].Outputs["out"]
	// The progress does not show the command that this Nix lacks.
	var progress strings.Builder
	shown := *d
	shown.Progress = &progress
	drvs, err := shown.Derivations(ctx, app)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(progress.String(), "error") {
		t.Errorf("the progress of reading the derivations shows an error:\n%s", progress.String())
	}
	appDrv, ok := drvs[results[0].DrvPath]
	if !ok || appDrv.Outputs["out"] != app || appDrv.Name != "app" || appDrv.System != system {
		t.Fatalf("Derivations(%s) = %+v, want app's derivation with output %s", app, drvs, app)
	}
	if len(drvs) != 2 || len(appDrv.InputDrvs) != 1 {
		t.Errorf("Derivations(%s) has %d derivations, app %d inputs; want app and hello", app, len(drvs), len(appDrv.InputDrvs))
	}
	for in := range appDrv.InputDrvs {
		if hello, ok := drvs[in]; !ok || hello.Name != "hello" || !strings.HasSuffix(hello.Outputs["out"], "-hello") {
			t.Errorf("input %s of app: %+v", in, hello)
		}
	}
	// The closure's facts come from those derivations.
	c, err := d.PathInfo(ctx, app)
	if err != nil {
		t.Fatal(err)
	}
	facts := nix.ClosureFacts(c, drvs)
	if i := slices.IndexFunc(facts, func(f nix.Facts) bool { return f.Path == app }); i < 0 || facts[i].Deriver != results[0].DrvPath || facts[i].Fallback {
		t.Errorf("facts of %s: %+v", app, facts)
	}

	t.Run("a path Nix does not know fails with Nix's message", func(t *testing.T) {
		_, err := d.Derivations(ctx, "/nix/store/00000000000000000000000000000000-nothing")
		var ce *nix.CommandError
		if !errors.As(err, &ce) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("error %v, want a one-line *CommandError", err)
		}
		t.Logf("error: %v", err)
	})

	t.Run("a cancelled context is not retried", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := d.Derivations(cctx, app); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}
