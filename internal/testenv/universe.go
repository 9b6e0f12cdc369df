package testenv

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/nixlayer/nixlayer/internal/platform"
)

// universeSystemEntry is one system's entry of the test universe's
// systems.json, which regen.sh writes: the names of its files.
type universeSystemEntry struct {
	DebianArch string `json:"debianArch"`
	Manifest   string `json:"manifest"`
	Debs       string `json:"debs"`
	Busybox    string `json:"busybox"`
	Gobin      string `json:"gobin"`
}

// universeDir is testdata/universe.
func universeDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "universe")
}

// universeSystem checks that regen.sh has fetched what the universe needs
// for system, and returns its entry.
func universeSystem(dir, system string) (universeSystemEntry, error) {
	data, err := os.ReadFile(filepath.Join(dir, "systems.json"))
	if err != nil {
		return universeSystemEntry{}, err
	}
	var systems map[string]universeSystemEntry
	if err := json.Unmarshal(data, &systems); err != nil {
		return universeSystemEntry{}, fmt.Errorf("reading systems.json: %w", err)
	}
	s, ok := systems[system]
	if !ok {
		return universeSystemEntry{}, fmt.Errorf("systems.json has no %s", system)
	}
	for _, need := range []string{"noarch.json", s.Manifest, s.Busybox + "/busybox", s.Gobin + "/shfmt"} {
		if _, err := os.Stat(filepath.Join(dir, need)); err != nil {
			return universeSystemEntry{}, err
		}
	}
	check, _ := debsChecked.LoadOrStore(filepath.Join(dir, s.Manifest), sync.OnceValue(func() error { return checkDebs(dir, s) }))
	return s, check.(func() error)()
}

// debsChecked holds, per manifest, the check of its packages, done once
// per test binary.
var debsChecked sync.Map

// checkDebs checks that every package of a system's manifest is in its
// debs directory with the manifest's sha256: a file that a regeneration
// lost, or a truncated download, fails every test that builds in one line,
// before Nix reads it.
func checkDebs(dir string, s universeSystemEntry) error {
	data, err := os.ReadFile(filepath.Join(dir, s.Manifest))
	if err != nil {
		return err
	}
	var manifest map[string]struct {
		File   string `json:"file"`
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return fmt.Errorf("reading %s: %w", s.Manifest, err)
	}
	for _, name := range slices.Sorted(maps.Keys(manifest)) {
		m := manifest[name]
		rel := filepath.Join(s.Debs, m.File)
		f, err := os.Open(filepath.Join(dir, rel))
		if err != nil {
			return fmt.Errorf("%s is missing", rel)
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("reading %s: %w", rel, err)
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != m.SHA256 {
			return fmt.Errorf("%s has sha256 %s, not the manifest's %s", rel, sum, m.SHA256)
		}
	}
	return nil
}

// Universe returns the absolute path of testdata/universe, the offline
// stand-in for nixpkgs, after checking that regen.sh has fetched what it
// needs for this machine's system. Like Require, it fails the test when CI
// is "true" and skips it otherwise.
func Universe(t testing.TB) string {
	t.Helper()
	return UniverseFor(t, platform.HostSystem())
}

// UniverseFor is Universe for another system, such as aarch64-linux.
// Building its packages needs a machine that runs its programs (see
// RequirePlatform).
func UniverseFor(t testing.TB, system string) string {
	t.Helper()
	dir, err := filepath.Abs(universeDir())
	if err == nil {
		_, err = universeSystem(dir, system)
	}
	if err != nil {
		msg := "the test universe is not generated for %s (%v): run testdata/universe/regen.sh"
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, system, err)
		}
		t.Skipf("skipping: "+msg, system, err)
	}
	return dir
}

// UniverseRef returns the flake reference of the test universe for an
// --override-input of nixpkgs (or NIXLAYER_NIXPKGS): path:DIR with the
// narHash of its content, which the shared store (see SharedNixEnv) then
// holds. Nix takes a locked path input from the store, where it hashes an
// unlocked one again on every call: about half a second for the
// universe's 115 MB, which the tests' builds paid hundreds of times. A store
// without it copies the directory and checks the hash, as before.
func UniverseRef(t testing.TB) string {
	t.Helper()
	dir := Universe(t)
	universeRef.once.Do(func() {
		store, env := SharedNixEnv(t)
		cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "--store", store, "flake", "metadata", "--json", "path:"+dir)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			universeRef.err = fmt.Errorf("hashing the test universe: %w", err)
			return
		}
		var meta struct {
			Locked struct {
				NarHash string `json:"narHash"`
			} `json:"locked"`
		}
		if err := json.Unmarshal(out, &meta); err != nil || meta.Locked.NarHash == "" {
			universeRef.err = fmt.Errorf("hashing the test universe: no narHash in %s (%v)", out, err)
			return
		}
		universeRef.ref = "path:" + dir + "?narHash=" + url.QueryEscape(meta.Locked.NarHash)
	})
	if universeRef.err != nil {
		t.Fatal(universeRef.err)
	}
	return universeRef.ref
}

// universeRef is what UniverseRef computes, once per test binary.
var universeRef struct {
	once sync.Once
	ref  string
	err  error
}

// UniverseDeb returns the path of the Debian package pkg (such as
// "patchelf") that regen.sh fetched for system, unpatched: a program built
// for an FHS distribution of that platform.
func UniverseDeb(t testing.TB, system, pkg string) string {
	t.Helper()
	dir := UniverseFor(t, system)
	s, err := universeSystem(dir, system)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, s.Manifest))
	if err != nil {
		t.Fatal(err)
	}
	var manifest map[string]struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatalf("reading %s: %v", s.Manifest, err)
	}
	m, ok := manifest[pkg]
	if !ok {
		t.Fatalf("the universe's %s has no Debian package %s", s.Manifest, pkg)
	}
	return filepath.Join(dir, s.Debs, m.File)
}
