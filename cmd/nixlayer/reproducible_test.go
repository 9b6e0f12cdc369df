package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestColdStore runs four builds of one image at once on a fresh store
// without a daemon, where Nix alone deadlocks (each nix build holds some
// output locks and waits for the others'): they take turns at Nix's
// builds, say so, and give the digest of a build alone in the shared test
// store.
//
// Then it checks that the digest comes from the build's own derivations,
// whatever else the store holds: the store gains the other system's
// derivations of the fixed-output paths both systems share (cacert and
// tzdata, in the universe), and an unrelated derivation with the same
// output as cacert, and a build with a new cache gives the same digest.
// Nix records several derivers for such a path, and the facts of the SBOM
// must not depend on which it gives.
func TestColdStore(t *testing.T) {
	buildEnv(t)
	alone, _, _ := build(t, "runtime", "base")
	shared := os.Getenv("NIXLAYER_STORE")
	store, _ := testenv.NixEnv(t)
	t.Setenv("NIXLAYER_STORE", store)

	type result struct {
		code           int
		stdout, stderr string
	}
	results := make(chan result, 4)
	for i := range 4 {
		go func() {
			out := filepath.Join(t.TempDir(), "runtime.tar")
			// The catalog's closures come from the shared store, as from
			// a binary cache: the fresh store builds the image's packages
			// only.
			code, stdout, stderr := cli(t, "build", "runtime", "--sets", "base", "--json", "--cache", filepath.Join(t.TempDir(), fmt.Sprint(i)), "--catalog-store", shared, "-o", out)
			results <- result{code, stdout, stderr}
		}()
	}
	waited := 0
	deadline := time.After(15 * time.Minute)
	for range 4 {
		select {
		case r := <-results:
			if r.code != exitOK {
				t.Fatalf("a concurrent build: exit status %d: %s", r.code, r.stderr)
			}
			var s struct{ Digest string }
			if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || s.Digest != alone.Digest {
				t.Errorf("a concurrent build gave %s (%v), the build alone %s", s.Digest, err, alone.Digest)
			}
			if strings.Contains(r.stderr, "nixlayer: waiting for another nixlayer build on "+store) {
				waited++
			}
			// Nix's warning that it updates the lock of nixlayer's own
			// temporary flake is not news to the user.
			if strings.Contains(r.stderr, "updating lock file") {
				t.Errorf("a cold build passed on Nix's warnings about its temporary flakes:\n%s", r.stderr)
			}
		case <-deadline:
			t.Fatal("four concurrent builds on a fresh store did not finish in 15 minutes")
		}
	}
	if waited == 0 {
		t.Error("no concurrent build said it waited for another")
	}

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
	crowded, _, _ := build(t, "runtime", "base", "--catalog-store", shared)
	if crowded.Digest != alone.Digest {
		t.Errorf("the digest changed with the store's other derivations: %s, %s without them", crowded.Digest, alone.Digest)
	}
}
