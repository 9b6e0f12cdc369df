package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/dagger/dagger/cmd/codegen/introspection"
	"github.com/google/go-cmp/cmp"
)

// The Go SDK's files that the engine removes before it generates code
// (core/sdk/go_sdk.go ModuleTypes and baseWithCodegen): the root
// dagger.gen.go always, and the whole internal/ directory before it reads
// the module's types.
const (
	rootGenFile   = "dagger.gen.go"
	clientGenFile = "internal/dagger/dagger.gen.go"
)

// buildCodegen builds Dagger's code generator at the version of
// github.com/dagger/dagger in this tool's go.mod, which must be the
// engine's version that dagger.json names.
func (c *checker) buildCodegen() error {
	const step = "building Dagger's code generator"
	version := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/dagger/dagger" {
				version = d.Version
			}
		}
	}
	if version != c.cfg.EngineVersion {
		return &stepError{step: step, reason: fmt.Sprintf("dagger.json names engine %s, but tools/engineload/go.mod has github.com/dagger/dagger %s: change both together", c.cfg.EngineVersion, version)}
	}
	out, err := run(c.tool, nil, "go", "tool", "-n", "codegen")
	if err != nil {
		return &stepError{step: step, reason: lastLine(out), output: out}
	}
	c.codegen = strings.TrimSpace(out)
	return nil
}

// typeDefs reads the module's types as the engine does
// (core/sdk/go_sdk.go ModuleTypes): in a copy of its context without
// dagger.gen.go and internal/, codegen generate-typedefs, connected to a
// stand-in for the engine's session, writes the ID of the module it built
// through the session's API, which the session then replays.
func (c *checker) typeDefs(schema *introspection.Response) (*API, error) {
	const step = "reading the module's types (codegen generate-typedefs)"
	dir := filepath.Join(c.work, "typedefs")
	if err := copyTree(c.root, dir); err != nil {
		return nil, err
	}
	src := filepath.Join(dir, c.cfg.Source)
	if err := os.Remove(filepath.Join(src, rootGenFile)); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	if err := os.RemoveAll(filepath.Join(src, "internal")); err != nil {
		return nil, err
	}
	token := randomToken()
	sess, err := newSession(schema.Schema, token)
	if err != nil {
		return nil, err
	}
	defer sess.close()
	out, err := run(src, []string{fmt.Sprintf("DAGGER_SESSION_PORT=%d", sess.port()), "DAGGER_SESSION_TOKEN=" + token},
		c.codegen, "generate-typedefs",
		"--module-source-path", src,
		"--module-name", c.cfg.Name,
		"--introspection-json-path", schemaPath(c.tool),
		"--lib-version", c.cfg.EngineVersion,
		"--output", "typedefs.json")
	if err != nil {
		return nil, &stepError{step: step, reason: lastLine(out), output: out}
	}
	data, err := os.ReadFile(filepath.Join(src, "typedefs.json"))
	if err != nil {
		return nil, &stepError{step: step, reason: "the code generator wrote no typedefs.json", output: out}
	}
	var id string
	if err := json.Unmarshal(data, &id); err != nil {
		return nil, &stepError{step: step, reason: fmt.Sprintf("typedefs.json is not a module ID: %v", err)}
	}
	mod, err := sess.resolve(id)
	if err != nil {
		return nil, &stepError{step: "loading the module's types (loadModuleFromID)", reason: err.Error()}
	}
	api, err := (&replay{core: coreTypes(schema.Schema)}).module(mod)
	if err != nil {
		return nil, &stepError{step: "loading the module's types (loadModuleFromID)", reason: err.Error()}
	}
	return api, nil
}

// golden compares the module's API with its golden file, or writes it
// anew with -update.
func (c *checker) golden(api *API) error {
	path := filepath.Join(c.tool, "testdata", c.cfg.Name+".api")
	got := api.Golden()
	if c.update {
		return os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return &stepError{step: "comparing the module's API", reason: fmt.Sprintf("%v (go run ./tools/engineload -update writes it)", err)}
	}
	if string(want) != got {
		return &stepError{
			step:   "comparing the module's API",
			reason: fmt.Sprintf("the module's API is not tools/engineload/testdata/%s.api; if the change is meant, run (cd tools/engineload && go run . -update) and review the diff", c.cfg.Name),
			output: "the golden file (-) against the module (+):\n" + cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")),
		}
	}
	return nil
}

// generateModule runs the engine's code generation for the module at
// dir (core/sdk/go_sdk.go baseWithCodegen): in a copy of the context
// without the module's dagger.gen.go, codegen generate-module writes the
// bindings and then runs its post-commands, the go mod edit -replace
// lines of the SDK's go.mod, go get -u dagger.io/dagger and go mod tidy,
// against the Go module proxy as the engine's container does. With
// sameClient, the generated internal/dagger/dagger.gen.go must be the
// committed one.
func (c *checker) generateModule(dir string, cfg *moduleConfig, schema string, sameClient bool) error {
	step := "generating " + cfg.Name + "'s code (codegen generate-module and its go commands)"
	ctx := filepath.Join(c.work, "module")
	if err := os.RemoveAll(ctx); err != nil {
		return err
	}
	if err := copyTree(c.root, ctx); err != nil {
		return err
	}
	rel, err := filepath.Rel(c.root, dir)
	if err != nil {
		return err
	}
	src := filepath.Join(ctx, rel, cfg.Source)
	if err := os.Remove(filepath.Join(src, rootGenFile)); err != nil && !os.IsNotExist(err) {
		return err
	}
	out, err := run(src, nil, c.codegen, "generate-module",
		"--output", ctx,
		"--module-source-path", src,
		"--module-name", cfg.Name,
		"--introspection-json-path", schema,
		"--lib-version", cfg.EngineVersion)
	if err != nil {
		return &stepError{step: step, reason: lastLine(out), output: out}
	}
	if sameClient {
		committed, err := os.ReadFile(filepath.Join(c.root, cfg.Source, clientGenFile))
		if err != nil {
			return &stepError{step: step, reason: err.Error()}
		}
		generated, err := os.ReadFile(filepath.Join(src, clientGenFile))
		if err != nil {
			return &stepError{step: step, reason: err.Error()}
		}
		if !bytes.Equal(committed, generated) {
			return &stepError{step: step, reason: fmt.Sprintf("the engine generates another %s than the committed one; copy it from a run of the generator for engine %s", clientGenFile, cfg.EngineVersion)}
		}
	}
	return nil
}

// build builds the generated module as the engine does
// (core/sdk/go_sdk.go Runtime).
func (c *checker) build(name string) error {
	src := filepath.Join(c.work, "module", c.cfg.Source)
	return c.goBuild(name, src)
}

func (c *checker) goBuild(name, src string) error {
	out, err := run(src, nil, "go", "build", "-ldflags", "-s -w", "-o", filepath.Join(c.work, "runtime"), ".")
	if err != nil {
		return &stepError{step: "building " + name + " (go build -ldflags \"-s -w\" .)", reason: lastLine(out), output: out}
	}
	return nil
}

// dependents generates and builds each module of the repository that
// depends on this one, with the schema the engine gives it: core's, with
// this module's types installed.
func (c *checker) dependents(schema *introspection.Response, api *API) error {
	ext, err := withDependency(schema, c.cfg.Name, api)
	if err != nil {
		return &stepError{step: "installing " + c.cfg.Name + "'s types for its dependents", reason: err.Error()}
	}
	data, err := json.Marshal(ext)
	if err != nil {
		return err
	}
	extPath := filepath.Join(c.work, "schema-with-"+c.cfg.Name+".json")
	if err := os.WriteFile(extPath, data, 0o644); err != nil {
		return err
	}
	deps, err := c.findDependents()
	if err != nil {
		return err
	}
	for _, dir := range deps {
		cfg, err := readModuleConfig(dir)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(c.root, dir)
		if err := timed(c.log, "generated and built "+rel+", which depends on "+c.cfg.Name, func() error {
			if err := c.generateModule(dir, cfg, extPath, false); err != nil {
				return err
			}
			return c.goBuild(cfg.Name, filepath.Join(c.work, "module", rel, cfg.Source))
		}); err != nil {
			return err
		}
	}
	return nil
}

// findDependents lists the directories of the repository whose
// dagger.json depends on the module at the root.
func (c *checker) findDependents() ([]string, error) {
	files, err := contextFiles(c.root)
	if err != nil {
		return nil, err
	}
	root, err := filepath.Abs(c.root)
	if err != nil {
		return nil, err
	}
	var deps []string
	for _, f := range files {
		if filepath.Base(f) != "dagger.json" {
			continue
		}
		dir := filepath.Join(root, filepath.Dir(f))
		if dir == root {
			continue
		}
		cfg, err := readModuleConfig(dir)
		if err != nil {
			return nil, err
		}
		for _, d := range cfg.Dependencies {
			if filepath.Join(dir, d.Source) == root {
				deps = append(deps, dir)
			}
		}
	}
	return deps, nil
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
