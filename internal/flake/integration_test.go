package flake_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/golden"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/usererr"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// newDriver returns a driver on the shared test store whose nixpkgs is the
// test universe.
func newDriver(t *testing.T) *nix.Driver {
	t.Helper()
	store, env := testenv.SharedNixEnv(t)
	return &nix.Driver{
		Store:     store,
		Env:       env,
		FlakeArgs: []string{"--override-input", "nixpkgs", testenv.UniverseRef(t)},
	}
}

func prepare(t *testing.T, spec string, extra []sets.Attr, overlays ...string) *flake.Work {
	t.Helper()
	sel, err := sets.Builtin().Compose(spec, extra)
	if err != nil {
		t.Fatal(err)
	}
	w, err := flake.Prepare(t.TempDir(), nixflake.Files, flake.Request{System: "x86_64-linux", Attrs: sel.Attrs, Sets: sel.Sets, Overlays: overlays})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func find(t *testing.T, plan *flake.Plan, attr string) flake.Package {
	t.Helper()
	for _, p := range plan.Packages {
		if p.Attr == attr {
			return p
		}
	}
	t.Fatalf("plan has no %s", attr)
	return flake.Package{}
}

func TestUniverse(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()

	t.Run("plan carries pname, version, src and patches", func(t *testing.T) {
		plan, err := prepare(t, "base,python,devTools", nil).Plan(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		type summary struct {
			Pname, Version, Origin string
			Src                    *flake.Source
			Patches                []flake.Patch
		}
		got := map[string]summary{}
		for _, attr := range []string{"bashInteractive", "python312", "ripgrep", "shadow"} {
			p := find(t, plan, attr)
			got[attr] = summary{p.Pname, p.Version, p.Origin, p.Src, p.Patches}
			if !strings.HasPrefix(p.OutPath, "/nix/store/") {
				t.Errorf("%s: outPath %q is not a store path", attr, p.OutPath)
			}
		}
		// bash's patches are upstream's series, fetched as nixpkgs does:
		// compare their count and shape.
		bash := got["bashInteractive"]
		if len(bash.Patches) != 15 || bash.Patches[0].Name != "bash52-001" || bash.Patches[0].URL != "mirror://gnu/bash/bash-5.2-patches/bash52-001" {
			t.Errorf("bash patches = %+v, want upstream's 15, as fetchurl gives them", bash.Patches)
		}
		bash.Patches = nil
		got["bashInteractive"] = bash
		// The sources as nixpkgs' fetchers leave them: fetchurl's url is
		// the first of urls, fetchFromGitHub's result carries owner, repo,
		// rev (refs/tags/T for a tag) and tag.
		want := map[string]summary{
			"bashInteractive": {Pname: "bash", Version: "5.2p15", Origin: "base",
				Src: &flake.Source{URL: "mirror://gnu/bash/bash-5.2.tar.gz"}},
			"python312": {Pname: "python3", Version: "3.11.2", Origin: "python", Patches: []flake.Patch{},
				Src: &flake.Source{URL: "https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tar.xz"}},
			"ripgrep": {Pname: "ripgrep", Version: "14.1.1", Origin: "devTools", Patches: []flake.Patch{},
				Src: &flake.Source{URL: "https://github.com/BurntSushi/ripgrep/archive/14.1.1.tar.gz", Owner: "BurntSushi", Repo: "ripgrep", Rev: "14.1.1",
					GitRepoURL: "https://github.com/BurntSushi/ripgrep.git"}},
			"shadow": {Pname: "shadow", Version: "4.13", Origin: "devTools",
				Src: &flake.Source{URL: "https://github.com/shadow-maint/shadow/archive/refs/tags/4.13.tar.gz", Owner: "shadow-maint", Repo: "shadow", Rev: "refs/tags/4.13", Tag: "4.13",
					GitRepoURL: "https://github.com/shadow-maint/shadow.git"},
				Patches: []flake.Patch{{Name: "shadow-CVE-2023-29383.patch"}}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
		if ids := string(find(t, plan, "bashInteractive").Identifiers); !strings.Contains(ids, `"cpe:2.3:a:gnu:bash:5.2:15:`) {
			t.Errorf("bash identifiers = %s, want its CPE", ids)
		}
	})

	t.Run("a set list builds and its closure holds real programs", func(t *testing.T) {
		w := prepare(t, "base,python", nil)
		plan, err := w.Plan(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		roots, err := w.Build(ctx, d, plan)
		if err != nil {
			t.Fatal(err)
		}
		closure, err := d.PathInfo(ctx, roots...)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range closure.Paths() {
			names = append(names, p[len("/nix/store/")+33:])
		}
		for _, want := range []string{"glibc-2.36", "bash-5.2p15", "python3-3.11.2", "coreutils-9.1", "nss-cacert-20250419", "tzdata-2026f"} {
			if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, strings.SplitN(want, "-2026", 2)[0]) }) {
				t.Errorf("closure of base,python has no %s: %v", want, names)
			}
		}
		python := find(t, plan, "python312").OutPath
		glibc := ""
		for _, p := range closure.Paths() {
			if strings.HasSuffix(p, "-glibc-2.36") {
				glibc = p
			}
		}
		if !slices.Contains(closureOf(closure, python), glibc) {
			t.Errorf("python's closure does not contain glibc %q", glibc)
		}
		// The programs are real: python runs from the store alone.
		out, err := exec.Command("chroot", d.Root().Dir(), python+"/bin/python3", "-c", "import json, ssl, sqlite3; print(json.dumps([1, 2]))").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "[1, 2]" {
			t.Errorf("python3 in a chroot of the store: %v: %s", err, out)
		}
	})

	t.Run("a missing attribute is named with its origin", func(t *testing.T) {
		_, err := prepare(t, "base", []sets.Attr{{Path: "nosuchpkg", Origin: "--packages"}, {Path: "python312Packages", Origin: "--packages"}}).Plan(ctx, d)
		want := `nixpkgs has no attribute "nosuchpkg" (from --packages); not a package: "python312Packages" (from --packages)`
		if err == nil || err.Error() != want {
			t.Fatalf("error = %v, want %s", err, want)
		}
	})

	t.Run("a lenient plan describes what evaluates and lists the rest", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "removed.nix"), `final: prev: { fd = throw "fd has been removed"; bat = prev.bat // { outPath = throw "bat is marked broken"; }; }`)
		extra := []sets.Attr{{Path: "nosuchpkg", Origin: "--packages"}, {Path: "fd", Origin: "--packages"}, {Path: "python312Packages", Origin: "--packages"},
			{Path: "bat", Origin: "--packages"}, {Path: "jq", Origin: "--packages"}}
		sel, err := sets.Builtin().Compose("base", extra)
		if err != nil {
			t.Fatal(err)
		}
		w, err := flake.Prepare(t.TempDir(), nixflake.Files, flake.Request{System: "x86_64-linux", Attrs: sel.Attrs, Sets: sel.Sets,
			Overlays: []string{filepath.Join(dir, "removed.nix")}, Lenient: true})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := w.Plan(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		var described []string
		for _, p := range plan.Packages {
			described = append(described, p.Attr)
		}
		want := append(slices.Clone(sets.Builtin().Sets()[0].Attrs), "jq")
		if diff := cmp.Diff(want, described); diff != "" {
			t.Errorf("described (-want +got):\n%s", diff)
		}
		lists := [][]string{plan.Missing, plan.NotPackages, plan.Failing}
		if diff := cmp.Diff([][]string{{"nosuchpkg"}, {"python312Packages"}, {"fd", "bat"}}, lists); diff != "" {
			t.Errorf("missing, not packages, failing (-want +got):\n%s", diff)
		}
		if jq := find(t, plan, "jq"); jq.Origin != "--packages" || jq.Pname != "jq" {
			t.Errorf("jq = %+v", jq)
		}

		// The same request, not lenient, fails as before.
		strict, err := flake.Prepare(t.TempDir(), nixflake.Files, flake.Request{System: "x86_64-linux", Attrs: sel.Attrs, Sets: sel.Sets})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := strict.Plan(ctx, d); !errors.Is(err, usererr.ErrBadInput) {
			t.Errorf("the strict plan: %v, want the missing attributes", err)
		}
	})

	t.Run("project overlays apply, with files beside them", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "fd-fix.patch"), fdPatch)
		write(t, filepath.Join(dir, "overlay.nix"), `final: prev: { fd = prev.fd.overrideAttrs (old: { patches = old.patches ++ [ ./fd-fix.patch ]; }); }`)
		w := prepare(t, "base", []sets.Attr{{Path: "fd", Origin: "--packages"}}, filepath.Join(dir, "overlay.nix"))
		plan, err := w.Plan(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		fd := find(t, plan, "fd")
		if diff := cmp.Diff([]flake.Patch{{Name: "fd-fix.patch"}}, fd.Patches); diff != "" {
			t.Errorf("fd patches (-want +got):\n%s", diff)
		}
		if _, err := w.Build(ctx, d, plan); err != nil {
			t.Fatal(err)
		}
		script, err := os.ReadFile(d.Root().Path(fd.OutPath) + "/bin/fd")
		if err != nil || !strings.Contains(string(script), "patched: fd-fix") {
			t.Errorf("fd was not built with the overlay's patch: %v\n%s", err, script)
		}
	})

	t.Run("a broken overlay is an evaluation error with Nix's message", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "bad.nix"), "final: prev: { fd = undefinedThing; }")
		_, err := prepare(t, "base", []sets.Attr{{Path: "fd", Origin: "--packages"}}, filepath.Join(dir, "bad.nix")).Plan(ctx, d)
		if _, ok := err.(*flake.EvalError); !ok || !strings.Contains(err.Error(), "undefinedThing") || strings.Contains(err.Error(), "\n") {
			t.Errorf("error = %v (%T), want a one-line *flake.EvalError naming undefinedThing", err, err)
		}
	})
}

const fdPatch = `--- a/main.sh
+++ b/main.sh
@@ -1,3 +1,4 @@
 #!@bash@/bin/bash
 # @bin@ from @pname@ @version@: a stand-in from the nixlayer test universe.
 echo "@bin@ (@pname@) @version@"
+echo "patched: fd-fix"
`

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// closureOf is the closure of one path within c.
func closureOf(c *nix.Closure, root string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, r := range c.References(p) {
			walk(r)
		}
	}
	walk(root)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// TestBuildBuilt checks that building a plan whose packages are all built
// asks Nix for their path info only, and that a plan with a path Nix lacks
// is given to nix build, which tells it did not build that path.
func TestBuildBuilt(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	w := prepare(t, "base", nil)
	plan, err := w.Plan(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(ctx, d, plan); err != nil {
		t.Fatal(err)
	}
	real, err := exec.LookPath("nix")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "calls")
	// The driver puts its global flags first, then the subcommand.
	script := "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in build|path-info) echo \"$a\" >> " + log + "; break ;; esac; done\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "nix"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	logged := *d
	logged.Bin = filepath.Join(dir, "nix")
	calls := func() []string {
		data, _ := os.ReadFile(log)
		os.Remove(log)
		return strings.Fields(string(data))
	}

	roots, err := w.Build(ctx, &logged, plan)
	if err != nil {
		t.Fatal(err)
	}
	if got := calls(); !slices.Equal(got, []string{"path-info"}) {
		t.Errorf("building a built plan called nix %v, want path-info alone", got)
	}
	if !slices.Equal(roots, plan.Roots()) {
		t.Errorf("roots %v, want the plan's %v", roots, plan.Roots())
	}

	missing := *plan
	missing.Packages = slices.Clone(plan.Packages)
	missing.Packages[0].OutPath = "/nix/store/00000000000000000000000000000000-" + missing.Packages[0].Name
	_, err = w.Build(ctx, &logged, &missing)
	if err == nil || !strings.Contains(err.Error(), "nix did not build "+missing.Packages[0].OutPath) {
		t.Errorf("building a plan with a path Nix lacks: %v, want nix build's result to lack it", err)
	}
	if got := calls(); !slices.Equal(got, []string{"path-info", "build"}) {
		t.Errorf("building a plan with a path Nix lacks called nix %v, want path-info, then build", got)
	}
}

// TestRecordedPlan checks that testdata/plan.json, which TestDecodePlan
// decodes, is what plan.nix gives for that request on the test universe
// today (-update records it again): a recorded stand-in for Nix's output
// that stays its likeness.
func TestRecordedPlan(t *testing.T) {
	d := newDriver(t)
	w := prepare(t, "base", []sets.Attr{{Path: "ripgrep", Origin: "--packages"}})
	locked, err := w.Lock(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	out, err := locked.Run(context.Background(), locked.EvalArgs(flake.PlanInstallable(w.Ref(), "x86_64-linux"), flake.FlakeArgs...)...)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Missing     []string          `json:"missing"`
		NotPackages []string          `json:"notPackages"`
		Packages    []json.RawMessage `json:"packages"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	// The request of TestDecodePlan: bashInteractive and ripgrep.
	var keep []json.RawMessage
	for _, p := range raw.Packages {
		var pkg struct{ Attr string }
		if err := json.Unmarshal(p, &pkg); err == nil && (pkg.Attr == "bashInteractive" || pkg.Attr == "ripgrep") {
			keep = append(keep, p)
		}
	}
	raw.Packages = keep
	got, err := json.MarshalIndent(raw, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "plan.json", string(got)+"\n", flag.Lookup("update").Value.String() == "true")
}
