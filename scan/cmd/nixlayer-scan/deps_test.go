package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestRootHasNoScanner checks that osv-scanner stays in this module: the
// root module's go.mod does not name it, and neither the Dagger module
// (with its generated dagger.gen.go) nor the nixlayer CLI imports any of it.
func TestRootHasNoScanner(t *testing.T) {
	testenv.Require(t, "go")
	root := repoRoot(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"osv-scanner", "osv-scalibr"} {
		if strings.Contains(string(mod), m) {
			t.Errorf("the root go.mod names %s", m)
		}
	}
	cmd := exec.Command("go", "list", "-deps", ".", "./cmd/nixlayer")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps listed %d packages; want the whole graph", len(deps))
	}
	for _, p := range deps {
		if strings.Contains(p, "osv-scanner") || strings.Contains(p, "osv-scalibr") || strings.HasPrefix(p, "github.com/nixlayer/nixlayer/scan") {
			t.Errorf("the root imports %s", p)
		}
	}
}
