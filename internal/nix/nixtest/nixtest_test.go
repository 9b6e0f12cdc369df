package nixtest_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/nix/nixtest"
	"github.com/nixlayer/nixlayer/internal/sets"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// TestFake runs the fake through nixlayer's own decoders, as a build
// does: it plans a work directory, builds it, reads the closure and the
// derivations, and finds the store as a real one is before and after a
// garbage collection.
func TestFake(t *testing.T) {
	n := nixtest.New(t, "x86_64-linux")
	libc := n.Path("glibc-2.40", nixtest.Files{"lib/libc.so.6": "ELF"})
	hello := n.Package("hello", "hello-2.12.2", nixtest.Files{"bin/hello": "ELF hello"}, libc)
	d := n.Driver()
	ctx := t.Context()

	req := flake.Request{System: "x86_64-linux", Attrs: []sets.Attr{{Path: "hello", Origin: "base"}}, Sets: []string{"base"}}
	w, err := flake.Prepare(t.TempDir(), nixflake.Files, req)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.Plan(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Packages) != 1 || plan.Packages[0].OutPath != hello || plan.Packages[0].Pname != "hello" || plan.Packages[0].Version != "2.12.2" || plan.Packages[0].Src == nil {
		t.Fatalf("plan %+v", plan.Packages)
	}
	if _, err := d.PathInfo(ctx, hello); !isInvalid(err) {
		t.Fatalf("path-info of a path not built yet: %v, want nix's error", err)
	}
	roots, err := w.Build(ctx, d, plan)
	if err != nil || !slices.Equal(roots, []string{hello}) {
		t.Fatalf("build: %v, %v", roots, err)
	}
	if got := n.Calls(); !slices.Equal(got, []string{"eval", "path-info", "path-info", "build"}) {
		t.Errorf("nix was called for %v", got)
	}
	if data, err := os.ReadFile(filepath.Join(n.Root, hello, "bin", "hello")); err != nil || string(data) != "ELF hello" {
		t.Errorf("the built file: %q, %v", data, err)
	}
	c, err := d.PathInfo(ctx, hello)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{libc, hello}, c.Paths()); diff != "" {
		t.Errorf("the closure (-want +got):\n%s", diff)
	}

	drvs, err := d.Derivations(ctx, plan.Derivations()...)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Calls(); !slices.Equal(got, []string{"path-info", "derivation show", "show-derivation"}) {
		t.Errorf("nix was called for %v, want derivation show to fail as on Nix 2.8", got)
	}
	facts := nix.ClosureFacts(c, drvs)
	if f := facts[1]; f.Path != hello || f.Fallback || f.Pname != "hello" || f.Source == nil || f.Source.Fetcher != "fetchurl" || !slices.Equal(f.Source.URLs, []string{"https://example.org/hello/hello-2.12.2.tar.gz"}) {
		t.Errorf("the facts of hello: %+v", f)
	}

	n.Lose(libc)
	if _, err := d.PathInfo(ctx, hello); !isInvalid(err) {
		t.Errorf("path-info of a path whose closure lost a path: %v, want nix's error", err)
	}
	if _, err := os.Stat(filepath.Join(n.Root, libc)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a lost path is still on disk: %v", err)
	}

	n.Refuse("build")
	if _, err := w.Build(ctx, d, plan); !isInvalid(err) {
		t.Errorf("a refused build: %v, want nix's error", err)
	}
	n.Refuse()
	if _, err := w.Build(ctx, d, plan); err != nil {
		t.Errorf("building again what the store lost: %v", err)
	}
	if _, err := os.Stat(filepath.Join(n.Root, libc, "lib", "libc.so.6")); err != nil {
		t.Errorf("the lost path was not built again: %v", err)
	}
}

func isInvalid(err error) bool {
	_, ok := errors.AsType[*nix.CommandError](err)
	return ok
}
