package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestInternalWithoutDagger checks that no package of internal/ or cmd/,
// nor its tests, imports Dagger: the module's root is the only glue to the
// engine, the command line is the same pipeline without it, and the engine
// deletes internal/ before it reads the module's types. The exception is
// internal/dagger, the client that Dagger's code generator writes there.
func TestInternalWithoutDagger(t *testing.T) {
	const client = "github.com/nixlayer/nixlayer/internal/dagger"
	out, err := exec.Command("go", "list", "-test", "-f", `{{.ImportPath}}|{{join .Deps " "}}`, "./internal/...", "./cmd/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, "|")
		if pkg == client || strings.HasPrefix(pkg, client+" ") || pkg == client+".test" {
			continue
		}
		pkgs++
		for _, d := range strings.Fields(deps) {
			if d == client || strings.HasPrefix(d, "dagger.io/") || strings.HasPrefix(d, "github.com/dagger/") {
				t.Errorf("%s imports %s", pkg, d)
			}
		}
	}
	if pkgs < 40 {
		t.Errorf("go list found %d packages and tests in internal/ and cmd/, want at least 40", pkgs)
	}
}
