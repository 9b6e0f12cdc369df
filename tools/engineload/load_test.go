package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mutated copies the module at the repository's root and changes a file
// of the copy with edit.
func mutated(t *testing.T, file string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyTree("../..", dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := edit(string(data))
	if changed == string(data) {
		t.Fatalf("the edit left %s as it was", file)
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newChecker(t *testing.T, root string) *checker {
	t.Helper()
	c := &checker{root: root, tool: ".", log: io.Discard}
	var err error
	if c.cfg, err = readModuleConfig(root); err != nil {
		t.Fatal(err)
	}
	if err := c.buildCodegen(); err != nil {
		t.Fatal(err)
	}
	c.work = t.TempDir()
	return c
}

// wantStep checks that err names the load step and the reason.
func wantStep(t *testing.T, err error, step, reason string) {
	t.Helper()
	var se *stepError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want the engine to fail at %s", err, step)
	}
	if se.step != step || !strings.Contains(se.reason, reason) {
		t.Fatalf("got %q, want the engine to fail at %s with %q", se.Error(), step, reason)
	}
	if strings.Contains(se.Error(), "\n") {
		t.Errorf("the verdict is not one line: %q", se.Error())
	}
	t.Logf("engineload: %s", se.Error())
}

// TestEnumFromInternal checks that the check fails as the engine did on
// the module whose enum values came from internal/kind.
func TestEnumFromInternal(t *testing.T) {
	root := mutated(t, "images.go", func(s string) string {
		s = strings.Replace(s, `KindDevcontainer Kind = "devcontainer"`, "KindDevcontainer Kind = Kind(kind.Devcontainer)", 1)
		return strings.Replace(s, `KindRuntime Kind = "runtime"`, "KindRuntime Kind = Kind(kind.Runtime)", 1)
	})
	c := newChecker(t, root)
	schema, err := readSchema(schemaPath("."))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.typeDefs(schema)
	wantStep(t, err, "loading the module's types (loadModuleFromID)", `enum "DEVCONTAINER" is already defined with value "unknown"`)
}

// TestGoModWithoutOtelPins checks that the check fails as the engine's
// build does on the module's go.mod without the replace lines that pin
// otel: the code generator's go get -u raises otel past what the SDK's
// pinned otel/log builds with. It runs against the Go module proxy as it
// serves modules now.
func TestGoModWithoutOtelPins(t *testing.T) {
	root := mutated(t, "go.mod", func(s string) string {
		return regexp.MustCompile(`(?s)\n// The engine runs go get -u.*?\nreplace \(.*?\n\)\n`).ReplaceAllString(s, "\n")
	})
	c := newChecker(t, root)
	if err := c.generateModule(root, c.cfg, schemaPath("."), true); err != nil {
		t.Fatal(err)
	}
	err := c.build(c.cfg.Name)
	wantStep(t, err, `building nixlayer (go build -ldflags "-s -w" .)`, "import cycle not allowed")
}
