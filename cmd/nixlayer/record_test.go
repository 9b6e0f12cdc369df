package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/testenv"
)

// nixCalls puts a nix in PATH that logs the subcommand of every call to a
// file, then runs the real nix, and returns a function that reads and
// clears the log. A call whose subcommand is NIX_CALLS_REFUSE is logged,
// then fails instead.
func nixCalls(t testing.TB) func() []string {
	t.Helper()
	testenv.Require(t, "nix")
	real, err := lookPath("nix")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "calls")
	// The driver puts its global flags first; the subcommand is the first
	// word after them that is not a flag or a flag's value.
	script := fmt.Sprintf(`#!/bin/sh
sub=
skip=
for a in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case "$a" in
    --extra-experimental-features|--log-format|--store|--option) skip=1 ;;
    -*) ;;
    *) sub=$a; break ;;
  esac
done
echo "$sub" >> %s
if [ -n "$NIX_CALLS_REFUSE" ] && [ "$sub" = "$NIX_CALLS_REFUSE" ]; then
  echo "error: nix $sub is refused by the test" >&2
  exit 1
fi
exec %s "$@"
`, log, real)
	if err := os.WriteFile(filepath.Join(dir, "nix"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return func() []string {
		data, _ := os.ReadFile(log)
		os.Remove(log)
		return strings.Fields(string(data))
	}
}

func lookPath(name string) (string, error) {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not in PATH", name)
}

// TestNoopRebuild checks that a rebuild with unchanged inputs asks Nix
// only for the closure of what the first build recorded, gives the same
// digest, and that changing any input makes Nix evaluate again: the
// packages, the overlays' content, the nixpkgs' content, the time, the
// system.
func TestNoopRebuild(t *testing.T) {
	buildEnv(t)
	calls := nixCalls(t)
	project := t.TempDir()
	overlay := filepath.Join(project, "overlays", "fix.nix")
	if err := os.MkdirAll(filepath.Dir(overlay), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(overlay, []byte("final: prev: { }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	projectFile := filepath.Join(project, "nixlayer.yaml")
	if err := os.WriteFile(projectFile, []byte("overlays: [overlays/fix.nix]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	universe := t.TempDir()
	if err := os.CopyFS(universe, os.DirFS(testenv.Universe(t))); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NIXLAYER_NIXPKGS", universe)

	args := []string{"--sets", "base,python", "--project", projectFile}
	first, _, _ := build(t, "devcontainer", "base,python", args[2:]...)
	if got := calls(); !slices.Contains(got, "eval") || !slices.Contains(got, "build") {
		t.Fatalf("the first build called nix %v, want an evaluation and a build", got)
	}
	start := time.Now()
	again, _, _ := build(t, "devcontainer", "base,python", args[2:]...)
	took := time.Since(start)
	if got := calls(); !slices.Equal(slices.Compact(got), []string{"path-info"}) {
		t.Errorf("a rebuild with the same inputs called nix %v, want path-info alone", got)
	}
	if again.Digest != first.Digest {
		t.Errorf("the recorded rebuild gave %s, the first build %s", again.Digest, first.Digest)
	}
	t.Logf("a no-op rebuild took %v", took)

	for _, change := range []struct {
		name string
		do   func()
		args []string
	}{
		{"packages", func() {}, []string{"--packages", "jq"}},
		{"an overlay's content", func() {
			if err := os.WriteFile(overlay, []byte("final: prev: { nixlayerTest = 1; }\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"a file beside an overlay", func() {
			if err := os.WriteFile(filepath.Join(filepath.Dir(overlay), "x.patch"), []byte("x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"the nixpkgs' content", func() {
			if err := os.WriteFile(filepath.Join(universe, "README.md"), []byte("changed\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"SOURCE_DATE_EPOCH", func() { t.Setenv("SOURCE_DATE_EPOCH", "1700000000") }, nil},
		{"--refresh", func() {}, []string{"--refresh"}},
	} {
		change.do()
		build(t, "devcontainer", "base,python", append(args[2:], change.args...)...)
		if got := calls(); !slices.Contains(got, "eval") {
			t.Errorf("after changing %s, nix was called for %v, want an evaluation", change.name, got)
		}
	}
	// A store that lost a recorded path is asked again, not trusted. Its
	// evaluation is what counts: the build of the universe into the empty
	// store is refused, to save building it from scratch.
	t.Setenv("NIXLAYER_STORE", filepath.Join(t.TempDir(), "empty-store"))
	t.Setenv("NIX_CALLS_REFUSE", "build")
	code, _, stderr := cli(t, "build", "devcontainer", "--sets", "base,python", "--project", projectFile, "--oci-layout", filepath.Join(t.TempDir(), "l"), "-q", "--catalog-store", "file:///nonexistent")
	got := calls()
	if !slices.Contains(got, "eval") || !slices.Contains(got, "build") || !strings.Contains(stderr, "refused by the test") {
		t.Errorf("with a store that lacks the recorded paths, nix was called for %v (exit %d, %s), want an evaluation, then a build", got, code, stderr)
	}
}

// BenchmarkNoopRebuild times a rebuild of an unchanged devcontainer (the
// sets of TestBuild's) that finds its inputs recorded, against the same
// rebuild with --refresh, which evaluates and builds with Nix as every
// rebuild did before the record: both warm, in the same run, on the test
// universe. It reports each time and their ratio.
//
//	go test ./cmd/nixlayer -run '^$' -bench NoopRebuild -benchtime 3x
func BenchmarkNoopRebuild(b *testing.B) {
	buildEnv(b)
	args := []string{"build", "devcontainer", "--sets", "base,devTools,nixTools,python", "--oci-layout", filepath.Join(b.TempDir(), "layout"), "-q"}
	if code, _, stderr := cli(b, args...); code != exitOK {
		b.Fatalf("the first build: %s", stderr)
	}
	var recorded, evaluated time.Duration
	for b.Loop() {
		for _, run := range []struct {
			total *time.Duration
			extra []string
		}{{&recorded, nil}, {&evaluated, []string{"--refresh"}}} {
			start := time.Now()
			if code, _, stderr := cli(b, append(args, run.extra...)...); code != exitOK {
				b.Fatalf("a rebuild: %s", stderr)
			}
			*run.total += time.Since(start)
		}
	}
	n := float64(b.N)
	b.ReportMetric(recorded.Seconds()/n, "s/recorded")
	b.ReportMetric(evaluated.Seconds()/n, "s/evaluated")
	b.ReportMetric(recorded.Seconds()/evaluated.Seconds(), "recorded/evaluated")
}
