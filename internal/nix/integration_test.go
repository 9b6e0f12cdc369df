package nix_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// testFlake has no inputs, so it evaluates offline. Its derivations are
// built by a static busybox copied into the flake: "hello" writes a file,
// "app" writes the path of "hello" and so refers to it, and "slow" sleeps.
const testFlake = `{
  outputs = { self }: let
    system = "@system@";
    bb = "${./bb}/busybox";
    mk = name: script: derivation { inherit name system; builder = bb; args = [ "sh" "-euc" script ]; };
    hello = mk "hello" "mkdir -p $out; echo hi > $out/f";
    app = mk "app" "mkdir -p $out; echo ${hello} > $out/dep";
    slow = mk "slow" "echo sleeping; sleep 60; mkdir $out";
  in {
    packages.${system} = { inherit hello app slow; };
  };
}
`

// writeTestFlake writes testFlake to a new directory and returns its
// "path:" flake reference and the system it builds for.
func writeTestFlake(t *testing.T) (ref, system string) {
	t.Helper()
	switch runtime.GOARCH {
	case "amd64":
		system = "x86_64-linux"
	case "arm64":
		system = "aarch64-linux"
	}
	if runtime.GOOS != "linux" || system == "" {
		t.Skipf("the test flake builds for Linux on amd64 or arm64, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	testenv.Require(t, "busybox")
	bbPath := "/bin/busybox"
	if _, err := os.Stat(bbPath); err != nil {
		t.Fatalf("a static busybox is needed at %s (apt-get install busybox-static): %v", bbPath, err)
	}
	dir := t.TempDir()
	bb, err := os.ReadFile(bbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "bb"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The builder must be called busybox for busybox to run its applets.
	if err := os.WriteFile(filepath.Join(dir, "bb", "busybox"), bb, 0o755); err != nil {
		t.Fatal(err)
	}
	flake := strings.ReplaceAll(testFlake, "@system@", system)
	if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644); err != nil {
		t.Fatal(err)
	}
	return "path:" + dir, system
}

func TestIntegration(t *testing.T) {
	store, env := testenv.NixEnv(t)
	flake, system := writeTestFlake(t)
	d := &nix.Driver{Store: store, Env: env}
	pkg := func(name string) string { return flake + "#packages." + system + "." + name }
	ctx := t.Context()

	t.Run("build and path-info", func(t *testing.T) {
		results, err := d.Build(ctx, []string{pkg("app")})
		if err != nil {
			t.Fatal(err)
		}
		if len(results) != 1 || !strings.HasSuffix(results[0].DrvPath, "-app.drv") || len(results[0].Outputs) != 1 {
			t.Fatalf("Build = %+v, want one result for app.drv with one output", results)
		}
		app := results[0].Outputs["out"]
		c, err := d.PathInfo(ctx, results[0].Paths()...)
		if err != nil {
			t.Fatal(err)
		}
		if c.Len() != 2 {
			t.Fatalf("closure of %s has paths %q, want app and hello", app, c.Paths())
		}
		refs := c.References(app)
		if len(refs) != 1 || !strings.HasSuffix(refs[0], "-hello") {
			t.Fatalf("References(%s) = %q, want the hello path", app, refs)
		}
		hello := refs[0]
		if diff := cmp.Diff([]string{hello, app}, c.TopoSort()); diff != "" {
			t.Errorf("TopoSort (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{app}, c.Roots()); diff != "" {
			t.Errorf("Roots (-want +got):\n%s", diff)
		}
		info, _ := c.Lookup(app)
		if !strings.HasPrefix(info.NarHash, "sha256-") || info.NarSize <= 0 || !strings.HasSuffix(info.Deriver, "-app.drv") {
			t.Errorf("Lookup(%s) = %+v", app, info)
		}
		// The chroot store keeps the files under StoreRoot.
		dep, err := os.ReadFile(filepath.Join(d.Root().Path(app), "dep"))
		if err != nil || strings.TrimSpace(string(dep)) != hello {
			t.Errorf("reading %s/dep: %q, %v; want %q", d.Root().Path(app), dep, err, hello)
		}
		if _, err := os.Stat(filepath.Join(store, hello)); err != nil {
			t.Errorf("hello is not in the chroot store: %v", err)
		}
	})

	t.Run("eval", func(t *testing.T) {
		var name string
		if err := d.Eval(ctx, pkg("app.name"), &name); err != nil || name != "app" {
			t.Errorf("Eval(app.name) = %q, %v; want app", name, err)
		}
		var sum int
		if err := d.Eval(ctx, "", &sum, "--expr", "1 + 2"); err != nil || sum != 3 {
			t.Errorf("Eval(--expr 1 + 2) = %d, %v; want 3", sum, err)
		}
	})

	t.Run("failing eval", func(t *testing.T) {
		err := d.Eval(ctx, pkg("nope"), nil)
		var ce *nix.CommandError
		if !errors.As(err, &ce) {
			t.Fatalf("Eval(nope): %v, want a *CommandError", err)
		}
		msg := err.Error()
		t.Logf("error: %s", msg)
		if !strings.HasPrefix(msg, "nix eval: exit status 1: error: ") || !strings.Contains(msg, "does not provide attribute") || strings.Contains(msg, "\n") {
			t.Errorf("error %q, want one line with nix's error", msg)
		}
		if ce.ExitCode != 1 || !strings.Contains(ce.Stderr, "nope") {
			t.Errorf("CommandError{ExitCode: %d, Stderr: %q}", ce.ExitCode, ce.Stderr)
		}
	})

	t.Run("cancelled build", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var progress bytes.Buffer
		slow := *d
		slow.Progress = &cancelWhen{w: &progress, substr: "building", cancel: cancel}
		start := time.Now()
		_, err := slow.Build(ctx, []string{pkg("slow")})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Build(slow): %v, want context.Canceled (progress: %q)", err, progress.String())
		}
		t.Logf("error: %v", err)
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("cancelled build took %v", elapsed)
		}
	})
}

// cancelWhen writes to w, and calls cancel once substr has been written.
type cancelWhen struct {
	w      *bytes.Buffer
	substr string
	cancel context.CancelFunc
}

func (c *cancelWhen) Write(p []byte) (int, error) {
	c.w.Write(p)
	if strings.Contains(c.w.String(), c.substr) {
		c.cancel()
	}
	return len(p), nil
}
