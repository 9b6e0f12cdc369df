package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Fatalf and Skipf instead of
// stopping the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }
func (r *recorder) Skipf(format string, a ...any)  { r.skip = fmt.Sprintf(format, a...) }

func TestRequireMissingTool(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tt := range []struct{ ci, fatal, skip string }{
		{"true", "nix is required in CI but is not in PATH", ""},
		{"", "", "skipping: nix is not in PATH"},
		{"false", "", "skipping: nix is not in PATH"},
	} {
		t.Setenv("CI", tt.ci)
		r := &recorder{TB: t}
		Require(r, "nix")
		if !strings.HasPrefix(r.fatal, tt.fatal) || (tt.fatal == "") != (r.fatal == "") {
			t.Errorf("CI=%q: Fatalf(%q), want %q", tt.ci, r.fatal, tt.fatal)
		}
		if !strings.HasPrefix(r.skip, tt.skip) || (tt.skip == "") != (r.skip == "") {
			t.Errorf("CI=%q: Skipf(%q), want %q", tt.ci, r.skip, tt.skip)
		}
	}
}

func TestRequirePresentTool(t *testing.T) {
	r := &recorder{TB: t}
	Require(r, "sh")
	if r.fatal != "" || r.skip != "" {
		t.Errorf("Require(sh): Fatalf(%q), Skipf(%q)", r.fatal, r.skip)
	}
}

func TestNixEnv(t *testing.T) {
	store, env := NixEnv(t)
	if !filepath.IsAbs(store) || filepath.Base(store) != "root" {
		t.Errorf("store %q", store)
	}
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	conf, err := os.ReadFile(filepath.Join(vars["NIX_CONF_DIR"], "nix.conf"))
	if err != nil || !strings.Contains(string(conf), "substituters =\n") {
		t.Errorf("nix.conf: %q, %v", conf, err)
	}
	for _, k := range []string{"HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"} {
		if fi, err := os.Stat(vars[k]); err != nil || !fi.IsDir() || !strings.HasPrefix(vars[k], filepath.Dir(store)) {
			t.Errorf("%s=%q is not a directory beside the store (%v)", k, vars[k], err)
		}
	}
	// A read-only directory, as nix leaves in the store, is removed.
	ro := filepath.Join(store, "nix", "store", "x")
	if err := os.MkdirAll(filepath.Join(ro, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
}
