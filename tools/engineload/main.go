package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	update := flag.Bool("update", false, "write the module's API golden file anew")
	root := flag.String("module", "../..", "the module's directory, which holds dagger.json")
	bindings := flag.Bool("bindings", false, "copy the generated root dagger.gen.go into the module's directory (git-ignored), so that go build and go vet see the module as the engine builds it")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run . [-update] [-module DIR]")
		flag.PrintDefaults()
	}
	flag.Parse()
	c := &checker{root: *root, tool: ".", log: os.Stderr, update: *update, bindings: *bindings}
	if err := c.run(); err != nil {
		var se *stepError
		if errors.As(err, &se) && se.output != "" {
			fmt.Fprintln(os.Stderr, strings.TrimRight(se.output, "\n"))
		}
		fmt.Fprintln(os.Stderr, "engineload: "+err.Error())
		os.Exit(1)
	}
}

// A checker runs the engine's load sequence on a module.
type checker struct {
	root     string    // the module's directory
	tool     string    // this tool's directory, with its go.mod and testdata
	log      io.Writer // progress lines
	update   bool      // write the API golden file anew
	bindings bool      // copy the generated dagger.gen.go into the module

	cfg     *moduleConfig
	codegen string
	work    string
}

// run runs every load step, in the engine's order: the module's types,
// then its build, then the modules that depend on it.
func (c *checker) run() error {
	var err error
	if c.root, err = filepath.Abs(c.root); err != nil {
		return err
	}
	if c.cfg, err = readModuleConfig(c.root); err != nil {
		return err
	}
	if err := timed(c.log, "built Dagger's code generator "+c.cfg.EngineVersion, c.buildCodegen); err != nil {
		return err
	}
	schema, err := readSchema(filepath.Join(c.tool, "testdata", "introspection.json"))
	if err != nil {
		return &stepError{step: "reading the engine's schema", reason: err.Error()}
	}
	if schema.SchemaVersion != c.cfg.EngineVersion {
		return &stepError{step: "reading the engine's schema", reason: fmt.Sprintf("testdata/introspection.json is the schema of engine %s, and dagger.json names %s", schema.SchemaVersion, c.cfg.EngineVersion)}
	}
	if c.work, err = os.MkdirTemp("", "engineload-"); err != nil {
		return err
	}
	defer os.RemoveAll(c.work)

	var api *API
	if err := timed(c.log, "read the module's types as the engine does, with internal/ deleted", func() error {
		api, err = c.typeDefs(schema)
		return err
	}); err != nil {
		return err
	}
	if err := c.golden(api); err != nil {
		return err
	}
	if err := timed(c.log, "generated the module's code and ran the code generator's go commands", func() error {
		return c.generateModule(c.root, c.cfg, schemaPath(c.tool), true)
	}); err != nil {
		return err
	}
	if err := timed(c.log, "built the module as the engine does", func() error { return c.build(c.cfg.Name) }); err != nil {
		return err
	}
	if c.bindings {
		gen := filepath.Join(c.cfg.Source, rootGenFile)
		// Written under another name, then renamed: scripts/test starts the
		// root's checks as soon as the file is there.
		dst := filepath.Join(c.root, gen)
		if err := copyFile(filepath.Join(c.work, "module", gen), dst+".tmp"); err != nil {
			return fmt.Errorf("copying the generated %s into the module: %w", gen, err)
		}
		if err := os.Rename(dst+".tmp", dst); err != nil {
			return fmt.Errorf("copying the generated %s into the module: %w", gen, err)
		}
		fmt.Fprintf(c.log, "engineload: wrote %s\n", filepath.Join(c.root, gen))
	}
	return c.dependents(schema, api)
}

func schemaPath(tool string) string {
	p, _ := filepath.Abs(filepath.Join(tool, "testdata", "introspection.json"))
	return p
}
