package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/testenv"
)

// nixIn runs nix on store with the test's Nix settings and returns its
// standard output.
func nixIn(t *testing.T, store string, args ...string) string {
	t.Helper()
	cmd := exec.Command("nix", append([]string{"--extra-experimental-features", "nix-command flakes", "--store", store}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("nix %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// TestDigestIgnoresOtherDerivations checks that an image's digest comes
// from its own build's derivations, whatever else the store holds: a
// store that also holds the other system's derivations of the fixed-output
// paths both systems share (cacert and tzdata, in the universe), and an
// unrelated derivation with the same output as cacert, gives the digest of
// a store that holds only this build's. Nix records several derivers for
// such a path, and the facts of the SBOM must not depend on which it
// gives.
func TestDigestIgnoresOtherDerivations(t *testing.T) {
	buildEnv(t)
	shared, _ := testenv.SharedNixEnv(t)
	sharedSum, sharedImg, _ := build(t, "runtime", "base")

	// A store of the test's own, with the image's closure copied from the
	// shared one (outputs, without their derivations): the build there
	// evaluates, finds every path built, and reads only its derivations.
	store, _ := testenv.NixEnv(t)
	t.Setenv("NIXLAYER_STORE", store)
	closure := slices.Sorted(maps.Keys(storeLayers(t, sharedImg)))
	nixIn(t, store, append([]string{"copy", "--no-check-sigs", "--from", shared}, closure...)...)
	t.Setenv("NIXLAYER_CACHE", t.TempDir())
	clean, _, _ := build(t, "runtime", "base")

	// The other system's derivations of the shared paths, and an unrelated
	// derivation of cacert's output: same name and content hash, another
	// builder.
	universe := testenv.UniverseRef(t)
	for _, attr := range []string{"cacert", "tzdata"} {
		nixIn(t, store, "eval", "--raw", universe+"#legacyPackages.aarch64-linux."+attr+".drvPath")
	}
	var drv map[string]struct {
		Env map[string]string `json:"env"`
	}
	cacert := strings.TrimSpace(nixIn(t, store, "eval", "--raw", universe+"#legacyPackages.x86_64-linux.cacert.drvPath"))
	if err := json.Unmarshal([]byte(nixIn(t, store, "show-derivation", cacert)), &drv); err != nil {
		t.Fatal(err)
	}
	env := drv[cacert].Env
	expr := fmt.Sprintf(`(derivation { name = %q; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "exit 1" ]; outputHashMode = %q; outputHashAlgo = %q; outputHash = %q; }).drvPath`,
		env["name"], env["outputHashMode"], env["outputHashAlgo"], env["outputHash"])
	other := strings.TrimSpace(nixIn(t, store, "eval", "--raw", "--impure", "--expr", expr))
	if other == cacert {
		t.Fatalf("the unrelated derivation is cacert's own, %s", other)
	}
	if out := strings.TrimSpace(nixIn(t, store, "eval", "--raw", "--impure", "--expr", strings.TrimSuffix(expr, ".drvPath")+".outPath")); out != env["out"] {
		t.Fatalf("the unrelated derivation outputs %s, not cacert's %s", out, env["out"])
	}

	t.Setenv("NIXLAYER_CACHE", t.TempDir())
	crowded, _, _ := build(t, "runtime", "base")
	if crowded.Digest != clean.Digest || sharedSum.Digest != clean.Digest {
		t.Errorf("digests differ with the store's other derivations: %s in a store of this build's only, %s with other derivations of its outputs, %s in the shared test store", clean.Digest, crowded.Digest, sharedSum.Digest)
	}
}
