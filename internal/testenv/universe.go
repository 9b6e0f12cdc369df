package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Universe returns the absolute path of testdata/universe, the offline
// stand-in for nixpkgs, after checking that regen.sh has fetched what it
// needs. Like Require, it fails the test when CI is "true" and skips it
// otherwise.
func Universe(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "universe")
	for _, need := range []string{"manifest.json", "bb/busybox", "gobin/shfmt"} {
		if _, err := os.Stat(filepath.Join(dir, need)); err != nil {
			msg := "the test universe is not generated (%v): run testdata/universe/regen.sh"
			if os.Getenv("CI") == "true" {
				t.Fatalf(msg, err)
			}
			t.Skipf("skipping: "+msg, err)
		}
	}
	return dir
}
