package catalog_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

func TestRequest(t *testing.T) {
	req := catalog.Request("x86_64-linux", []string{"/p/cve.nix"})
	var want []string
	for _, s := range sets.Builtin().Sets() {
		want = append(want, s.Attrs...)
	}
	var got []string
	for _, a := range req.Attrs {
		got = append(got, a.Path)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalog attributes (-want +got):\n%s", diff)
	}
	if req.Attrs[0].Origin != "base" || len(req.Sets) != len(sets.Builtin().Sets()) || !slices.Equal(req.Overlays, []string{"/p/cve.nix"}) {
		t.Errorf("request %+v", req)
	}
}

func TestKey(t *testing.T) {
	a := &flake.Plan{System: "x86_64-linux", Packages: []flake.Package{{Attr: "jq", OutPath: "/nix/store/a-jq"}, {Attr: "git", OutPath: "/nix/store/b-git"}}}
	b := &flake.Plan{System: "x86_64-linux", Packages: []flake.Package{{Attr: "git", OutPath: "/nix/store/b-git"}, {Attr: "jq", OutPath: "/nix/store/a-jq"}}}
	c := &flake.Plan{System: "x86_64-linux", Packages: []flake.Package{{Attr: "git", OutPath: "/nix/store/c-git"}, {Attr: "jq", OutPath: "/nix/store/a-jq"}}}
	if catalog.Key(a) != catalog.Key(b) {
		t.Error("the key depends on the order of the packages")
	}
	if catalog.Key(a) == catalog.Key(c) {
		t.Error("the key does not change with an out path")
	}
}

// TestLoad reads a small catalog from each source on the real Nix: the
// local store (which it builds), its record, and a binary cache made from
// that store with nix copy.
func TestLoad(t *testing.T) {
	store, env := testenv.SharedNixEnv(t)
	d := &nix.Driver{Store: store, Env: env, FlakeArgs: []string{"--override-input", "nixpkgs", testenv.UniverseRef(t)}}
	ctx := context.Background()
	req := flake.Request{System: "x86_64-linux", Sets: []string{"base"},
		Attrs: []sets.Attr{{Path: "bashInteractive", Origin: "base"}, {Path: "jq", Origin: "devTools"}}}
	w, err := flake.Prepare(t.TempDir(), nixflake.Files, req)
	if err != nil {
		t.Fatal(err)
	}
	locked, err := w.Lock(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.Plan(ctx, locked)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	local, recorded, err := catalog.Source{Dir: dir}.Load(ctx, locked, w, plan)
	if err != nil || recorded {
		t.Fatalf("from the local store: recorded %v, %v", recorded, err)
	}
	if local.Roots["jq"] != plan.Packages[1].OutPath || local.Graph.Len() < 5 {
		t.Fatalf("catalog roots %v, %d paths", local.Roots, local.Graph.Len())
	}

	again, recorded, err := catalog.Source{Dir: dir, Store: "file:///nonexistent"}.Load(ctx, locked, w, plan)
	if err != nil || !recorded {
		t.Fatalf("from the record: recorded %v, %v", recorded, err)
	}
	same := func(name string, got layers.Catalog) {
		t.Helper()
		if diff := cmp.Diff(local.Roots, got.Roots); diff != "" {
			t.Errorf("%s: roots (-want +got):\n%s", name, diff)
		}
		for _, p := range local.Graph.Paths() {
			want, _ := local.Graph.Lookup(p)
			info, ok := got.Graph.Lookup(p)
			if !ok || info.NarHash != want.NarHash || info.NarSize != want.NarSize || !slices.Equal(info.References, want.References) {
				t.Errorf("%s: %s is %+v, want %+v", name, p, info, want)
			}
		}
		if got.Graph.Len() != local.Graph.Len() {
			t.Errorf("%s: %d paths, want %d", name, got.Graph.Len(), local.Graph.Len())
		}
	}
	same("the record", again)

	cache := "file://" + t.TempDir()
	if _, err := locked.Run(ctx, append([]string{"copy", "--to", cache}, local.Graph.Paths()...)...); err != nil {
		t.Fatal(err)
	}
	fromCache, recorded, err := catalog.Source{Store: cache}.Load(ctx, locked, w, plan)
	if err != nil || recorded {
		t.Fatalf("from a binary cache: recorded %v, %v", recorded, err)
	}
	same("the binary cache", fromCache)

	// A cache that lacks the paths leaves the local store.
	fromEmpty, recorded, err := catalog.Source{Store: "file://" + t.TempDir()}.Load(ctx, locked, w, plan)
	if err != nil || recorded {
		t.Fatalf("from an empty binary cache: recorded %v, %v", recorded, err)
	}
	same("an empty binary cache, then the local store", fromEmpty)

	// A damaged record is removed and read again, in the same call: a
	// truncated file, an empty one, another plan's.
	files, _ := filepath.Glob(filepath.Join(dir, "catalog-*.json"))
	if len(files) != 1 {
		t.Fatalf("records: %v", files)
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Replace(string(good), plan.Packages[0].OutPath, plan.Packages[1].OutPath, 1)
	for name, damaged := range map[string]string{"truncated": string(good[:len(good)/2]), "empty": "", "another plan's": other} {
		if err := os.WriteFile(files[0], []byte(damaged), 0o644); err != nil {
			t.Fatal(err)
		}
		healed, recorded, err := catalog.Source{Dir: dir}.Load(ctx, locked, w, plan)
		if err != nil || recorded {
			t.Fatalf("a %s record: recorded %v, %v", name, recorded, err)
		}
		same("after a "+name+" record", healed)
		if _, recorded, err := (catalog.Source{Dir: dir}).Load(ctx, locked, w, plan); err != nil || !recorded {
			t.Errorf("after a %s record: the record was not written again (recorded %v, %v)", name, recorded, err)
		}
	}
}
