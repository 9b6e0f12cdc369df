package update_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/nixlayer/nixlayer/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/update"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
	"github.com/nixlayer/nixlayer/internal/version"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

// cacheDir is the blob cache and catalog records that the package's
// tests share, as the builds of one machine do.
var cacheDir cachedir.Dir

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nixlayer-update-cache-")
	if err != nil {
		panic(err)
	}
	cacheDir = cachedir.Dir(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// setup returns a driver on the shared test store, the universe's two
// revisions, and a flake locked at the first.
func setup(t *testing.T) (*nix.Driver, *updatetest.Universe, string) {
	t.Helper()
	store, env := testenv.SharedNixEnv(t)
	d := &nix.Driver{Store: store, Env: env}
	u := updatetest.NewUniverse(t)
	return d, u, updatetest.Flake(t, d, u)
}

func options(d *nix.Driver, dir string) update.Options {
	return update.Options{Flake: dir, Driver: d, System: "x86_64-linux", CacheDir: cacheDir}
}

// snapshot reads the flake directory's flake.nix and flake.lock.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{update.FlakeFile, update.LockFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(data)
	}
	return out
}

// copyDir copies the flake directory, to keep its state at one pin.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "nix")
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestUpdate moves the flake from the universe's first revision to its
// second and checks the report against what was planted, and the bytes
// to pull again against the images that nixlayer builds at both pins.
func TestUpdate(t *testing.T) {
	d, u, dir := setup(t)
	ctx := context.Background()
	before := snapshot(t, dir)
	oldFlake := copyDir(t, dir)

	start := time.Now()
	res, err := update.Run(ctx, options(d, dir))
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Fatalf("Run wrote the flake directory (-before +after):\n%s", diff)
	}

	// Only the nixpkgs node changed, to the second revision, and flake.nix
	// did not.
	changed, err := lock.ChangedNodes([]byte(before[update.LockFile]), res.Lock)
	if err != nil || !slices.Equal(changed, []string{"nixpkgs"}) {
		t.Errorf("changed nodes %v (%v), want nixpkgs", changed, err)
	}
	if string(res.Flake) != before[update.FlakeFile] {
		t.Error("the update changed flake.nix")
	}
	r := res.Report
	if !r.Changed || r.Old.Rev != u.Rev1 || r.New.Rev != u.Rev2 || r.Old.Ref != updatetest.Branch || r.New.Ref != updatetest.Branch {
		t.Errorf("pins: changed %v, %+v → %+v; want %s → %s on %s", r.Changed, r.Old, r.New, u.Rev1, u.Rev2, updatetest.Branch)
	}

	// The planted changes, and nothing else.
	wantVersions := []changes.VersionChange{
		{Attr: "eslint", Pname: "eslint", Old: "9.14.0", New: "10.0.0", Class: version.Major},
		{Attr: "fzf", Pname: "fzf", Old: "0.56.3", New: "0.57.0", Class: version.Minor},
		{Attr: "procps", Pname: "procps", Old: "1.1.1w", New: "1.1.1x", Class: version.Patch},
		{Attr: "ripgrep", Pname: "ripgrep", Old: "14.1.1", New: "14.1.2", Class: version.Patch},
	}
	if diff := cmp.Diff(wantVersions, r.Versions); diff != "" {
		t.Errorf("version changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]changes.Attr{{Attr: "bats", Pname: "bats", Version: "1.11.0", Reason: changes.ReasonMissing}}, r.Added); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	if len(r.Removed) != 0 {
		t.Errorf("removed %v, want none", r.Removed)
	}
	// go grew, and gopls and golangci-lint refer to it.
	if diff := cmp.Diff([]string{"go", "golangci-lint", "gopls"}, r.Rebuilt); diff != "" {
		t.Errorf("rebuilt (-want +got):\n%s", diff)
	}
	checkSets(t, r.Sets)

	// The files: nothing until Write, then the new lock and the reports.
	out := t.TempDir()
	md, js := filepath.Join(out, "CHANGES.md"), filepath.Join(out, "changes.json")
	if err := res.Write(update.Files{Markdown: md, JSON: js}); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, dir)
	if after[update.FlakeFile] != before[update.FlakeFile] || after[update.LockFile] != string(res.Lock) {
		t.Error("Write did not write the new lock, or changed flake.nix")
	}
	checkImages(t, d, r, oldFlake, dir)
	var decoded changes.Report
	data, err := os.ReadFile(js)
	if err != nil || json.Unmarshal(data, &decoded) != nil {
		t.Fatalf("changes.json: %v", err)
	}
	if diff := cmp.Diff(*r, decoded); diff != "" {
		t.Errorf("changes.json (-report +decoded):\n%s", diff)
	}
	if strings.Contains(string(data), `"vulnerabilities"`) {
		t.Error("changes.json has a vulnerabilities section, though no scanner ran")
	}
	body, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "universe-change.golden.md", normalise(string(body), u))
	t.Logf("the update took %s; CHANGES.md has %d bytes, changes.json %d", took.Round(time.Millisecond), len(body), len(data))

	// Again: nothing moves, and the report says so.
	again, err := update.Run(ctx, options(d, dir))
	if err != nil {
		t.Fatal(err)
	}
	if again.Report.Changed || string(again.Lock) != after[update.LockFile] {
		t.Errorf("a second update changed %v", again.Report)
	}
	if md := changes.Markdown(again.Report, changes.PullRequestLimit); !strings.Contains(md, "already at the newest revision") {
		t.Errorf("the second update's report:\n%s", md)
	}
	if err := again.Write(update.Files{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(after, snapshot(t, dir)); diff != "" {
		t.Errorf("an update that moves nothing rewrote the flake (-before +after):\n%s", diff)
	}
}

// checkSets checks the per-set closure changes: go's payload grew by
// exactly what was planted, bats came into the bash set, eslint's scripts
// got a character longer, and nothing else moved.
func checkSets(t *testing.T, got []changes.SetSize) {
	t.Helper()
	grown := int64(4 << 20) // updatetest.GoGrownMiB - 24
	for _, s := range got {
		switch s.Set {
		case "go", "goDev":
			if s.Delta != grown || s.NewPaths != s.OldPaths {
				t.Errorf("set %s: %+v, want %d bytes more in as many paths", s.Set, s, grown)
			}
		case "bash":
			if s.Delta <= 0 || s.NewPaths != s.OldPaths+1 {
				t.Errorf("set bash: %+v, want bats' path more", s)
			}
		case "nodeDev":
			if s.Delta < 0 || s.Delta > 64 {
				t.Errorf("set nodeDev: %+v, want a few bytes more at most", s)
			}
		default:
			if s.Delta != 0 || s.Old != s.New || s.OldPaths != s.NewPaths || s.Old == 0 {
				t.Errorf("set %s: %+v, want the same closure", s.Set, s)
			}
		}
	}
	if want := len(sets.Builtin().Sets()); len(got) != want {
		t.Errorf("%d sets, want the %d built-in ones", len(got), want)
	}
}

// normalise replaces what differs between universes for the golden file:
// the revisions, and the sizes that come from Debian's current packages
// (every set's closure, and the compressed bytes of the images' layers).
// The changes of size that the test plants stay.
func normalise(s string, u *updatetest.Universe) string {
	s = strings.NewReplacer(u.Rev1[:8], "REV1", u.Rev2[:8], "REV2").Replace(s)
	size := `\d+(?:\.\d+)? (?:B|KiB|MiB|GiB)`
	setRow := regexp.MustCompile(`(?m)^(\| \w+ \| )` + size + ` \| ` + size + ` (\| [+-]?` + size + ` \|)$`)
	s = setRow.ReplaceAllString(s, "${1}SIZE | SIZE ${2}")
	imageRow := regexp.MustCompile(`(?m)^(\| [\w +]+ \| [\w, ]+ \| \d+ of \d+ \| )` + size + ` \|$`)
	return imageRow.ReplaceAllString(s, "${1}SIZE |")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, got, *updateGolden)
}
