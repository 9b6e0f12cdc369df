package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// TestRecordKey checks that the key of a build's record changes with each
// input that evaluation depends on, and only with them, and that a
// nixpkgs that can change (a branch) has no record.
func TestRecordKey(t *testing.T) {
	f := newFake(t)
	dir := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, data)
	}
	write("project/fix.nix", "final: prev: { }\n")
	write("nixpkgs/default.nix", "{ }\n")
	if err := os.CopyFS(filepath.Join(dir, "src"), nixflake.Files); err != nil {
		t.Fatal(err)
	}
	src := os.DirFS(filepath.Join(dir, "src"))
	base := f.im.Request
	base.Overlays = []string{filepath.Join(dir, "project", "fix.nix")}
	override := func(ref string) *nix.Driver {
		d := *f.d
		d.FlakeArgs = []string{"--override-input", "nixpkgs", ref}
		return &d
	}
	pathOverride := override("path:" + filepath.Join(dir, "nixpkgs"))
	key := func(d *nix.Driver, req flake.Request, epoch int64) string {
		t.Helper()
		k, err := recordKey(d, src, req, epoch, f.cache)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	first := key(pathOverride, base, 0)
	seen := map[string]string{first: "the first key"}
	differs := func(what, k string) {
		t.Helper()
		if other, ok := seen[k]; ok {
			t.Errorf("after changing %s, the key is that of %s", what, other)
		}
		seen[k] = what
	}
	same := func(what, k string) {
		t.Helper()
		if k != first {
			t.Errorf("after changing %s, which evaluation does not read, the key changed", what)
		}
	}

	same("nothing", key(pathOverride, base, 0))
	write("project/.git/HEAD", "ref: refs/heads/main\n")
	same("a dot directory beside the overlay", key(pathOverride, base, 0))
	differs("the time", key(pathOverride, base, 1700000000))
	more := base
	more.Attrs = append(slices.Clone(base.Attrs), base.Attrs[0])
	differs("the packages", key(pathOverride, more, 0))
	other := base
	other.System = "aarch64-linux"
	differs("the system", key(pathOverride, other, 0))
	differs("the nixpkgs (the pinned one)", key(f.d, base, 0))
	locked := override("github:NixOS/nixpkgs/0123456789abcdef0123456789abcdef01234567")
	differs("the nixpkgs (a locked reference)", key(locked, base, 0))
	if k := key(override("github:NixOS/nixpkgs/nixos-26.05"), base, 0); k != "" {
		t.Errorf("a nixpkgs branch, which can move, has the key %s, want no record", k)
	}

	write("project/fix.nix", "final: prev: { x = 1; }\n")
	differs("an overlay's content", key(pathOverride, base, 0))
	write("project/x.patch", "x\n")
	differs("a file beside an overlay", key(pathOverride, base, 0))
	write("nixpkgs/default.nix", "{ x = 1; }\n")
	differs("the nixpkgs' content", key(pathOverride, base, 0))
	write("src/plan.nix", "{ }\n")
	differs("nixlayer's flake", key(pathOverride, base, 0))
	if err := os.WriteFile(f.nix.Bin, []byte("#!/bin/sh\nexit 2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	differs("the nix binary", key(pathOverride, base, 0))
}
