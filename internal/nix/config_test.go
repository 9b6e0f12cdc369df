package nix

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestSubstituterProbe checks that the probe asks each substituter of
// Nix's configuration once, before the first command that builds, and
// that every command after it leaves out the ones that did not answer,
// saying so once.
func TestSubstituterProbe(t *testing.T) {
	testenv.Require(t, "nix")
	asked := 0
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked++
		if r.URL.Path != "/nix-cache-info" {
			t.Errorf("the probe asked for %s", r.URL.Path)
		}
		w.Write([]byte("StoreDir: /nix/store\n"))
	}))
	defer up.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // a closed port: connection refused

	var progress bytes.Buffer
	d := &Driver{
		Env:      []string{"NIX_CONFIG=substituters = " + down.URL + " " + up.URL + "\nexperimental-features = nix-command"},
		Probe:    &SubstituterProbe{},
		Progress: &progress,
	}
	ctx := context.Background()
	if got := d.probeArgs(ctx, "eval"); got != nil {
		t.Errorf("an evaluation probed: %v", got)
	}
	want := []string{"--option", "substituters", up.URL}
	for range 2 {
		if diff := cmp.Diff(want, d.probeArgs(ctx, "build")); diff != "" {
			t.Errorf("the flags of a build (-want +got):\n%s", diff)
		}
	}
	copyOf := *d
	if diff := cmp.Diff(want, copyOf.probeArgs(ctx, "eval")); diff != "" {
		t.Errorf("a copy of the driver, after the probe (-want +got):\n%s", diff)
	}
	if asked != 1 {
		t.Errorf("the reachable substituter was asked %d times, want once", asked)
	}
	if line := progress.String(); strings.Count(line, "\n") != 1 || !strings.Contains(line, down.URL+" (connection refused)") {
		t.Errorf("the probe said %q, want one line naming %s", line, down.URL)
	}
	if argv := copyOf.DevelopCommand("path:/x#devShells.x86_64-linux.default", nil); !strings.Contains(strings.Join(argv, " "), "--option substituters "+up.URL+" develop") {
		t.Errorf("nix develop runs as %q, without the probe's flags", argv)
	}
}
