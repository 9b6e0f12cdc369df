// Package testenv helps tests that need tools from the machine, such as nix.
package testenv

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Require skips the test when tool is not in PATH, or fails it when the
// environment variable CI is "true", since CI must run every test.
func Require(t testing.TB, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI but is not in PATH (%v): install it (for nix: apt-get install nix-bin)", tool, err)
			return
		}
		t.Skipf("skipping: %s is not in PATH (%v); install it to run this test (for nix: apt-get install nix-bin)", tool, err)
	}
}

// nixConf is the nix.conf of NixEnv: no build users (tests may run as
// root), no substituters (tests run offline) and a sandbox for builds. The
// platforms this machine emulates are added (see Emulated), so that Nix
// builds their derivations too.
const nixConf = `build-users-group =
experimental-features = nix-command flakes
substituters =
sandbox = true
`

// NixEnv prepares an isolated nix setup in a temporary directory, so that
// a test never touches /nix or the user's configuration. It returns the
// path of a chroot store, for nix's --store, and environment variables
// ("KEY=value") that point NIX_CONF_DIR at a fresh nix.conf and HOME and
// the XDG directories at empty directories. It calls Require(t, "nix").
//
// Nix makes store paths read-only; NixEnv makes them writable again when
// the test ends so that the temporary directory can be removed.
func NixEnv(t testing.TB) (store string, env []string) {
	t.Helper()
	Require(t, "nix")
	dir := t.TempDir()
	t.Cleanup(func() { makeWritable(t, dir) })
	return filepath.Join(dir, "root"), nixConfig(t, dir)
}

// SharedStore is the directory of the chroot store that SharedNixEnv
// gives every test, under the temporary directory.
const SharedStore = "nixlayer-test-nix-store"

// SharedNixEnv is NixEnv with one chroot store for every test of every
// package, which outlives the run: the test universe is built into it
// once, by the first test that needs a path, and later tests (and later
// runs) find it there. Nix's own locks make concurrent builds from the
// test binaries of several packages safe, and a store path is the same
// whoever built it. Nix's configuration and the home and XDG directories
// are still the test's own. Use NixEnv for a test that needs a store of
// its own, such as one that counts what Nix builds.
func SharedNixEnv(t testing.TB) (store string, env []string) {
	t.Helper()
	Require(t, "nix")
	return filepath.Join(os.TempDir(), SharedStore, "root"), nixConfig(t, t.TempDir())
}

// nixConfig writes nix.conf and the home and XDG directories under dir
// and returns the environment that points Nix at them.
func nixConfig(t testing.TB, dir string) []string {
	t.Helper()
	sub := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	conf := sub("conf")
	if err := os.WriteFile(filepath.Join(conf, "nix.conf"), []byte(nixConf+emulationConf()), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{
		"NIX_CONF_DIR=" + conf,
		"NIX_USER_CONF_FILES=" + filepath.Join(conf, "nix.conf"),
		"HOME=" + sub("home"),
		"XDG_CACHE_HOME=" + sub("cache"),
		"XDG_CONFIG_HOME=" + sub("config"),
		"XDG_DATA_HOME=" + sub("data"),
		"XDG_STATE_HOME=" + sub("state"),
		"NIX_REMOTE=",
	}
}

// makeWritable adds owner write permission to every directory under dir.
func makeWritable(t testing.TB, dir string) {
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return nil
		}
		if info, err := e.Info(); err == nil && info.Mode().Perm()&0o200 == 0 {
			return os.Chmod(p, info.Mode().Perm()|0o200)
		}
		return nil
	})
	if err != nil {
		t.Logf("making %s writable: %v", dir, err)
	}
}
