package main

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// moduleFiles parses the module's hand-written Go files, which the engine
// reads for the API's types and documentation.
func moduleFiles(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "dagger.gen.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// function is a function of the API: New, or an exported method of
// *Nixlayer, with the comment above each argument.
type function struct {
	name string
	doc  *ast.CommentGroup
	args map[string][]string // argument name → comment lines
}

func functions(t *testing.T) []function {
	fset, files := moduleFiles(t)
	var out []function
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() || fd.Recv == nil && fd.Name.Name != "New" {
				continue
			}
			fn := function{name: fd.Name.Name, doc: fd.Doc, args: map[string][]string{}}
			for _, p := range fd.Type.Params.List {
				if sel, ok := p.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Context" {
					continue
				}
				line := fset.Position(p.Pos()).Line
				var lines []string
				for _, cg := range f.Comments {
					if fset.Position(cg.End()).Line == line-1 {
						lines = strings.Split(strings.TrimSpace(cg.Text()), "\n")
					}
				}
				for _, n := range p.Names {
					fn.args[n.Name] = lines
				}
			}
			out = append(out, fn)
		}
	}
	return out
}

// TestArguments checks that every argument has a doc comment, for
// dagger call --help: prose first, then the pragmas, after a blank line.
func TestArguments(t *testing.T) {
	fns := functions(t)
	if len(fns) < 8 {
		t.Fatalf("found %d functions, want New and at least 7 methods", len(fns))
	}
	for _, fn := range fns {
		if fn.doc == nil {
			t.Errorf("%s has no doc comment", fn.name)
		}
		for arg, lines := range fn.args {
			if len(lines) == 0 || strings.HasPrefix(lines[0], "+") {
				t.Errorf("%s: argument %s has no prose in its comment", fn.name, arg)
				continue
			}
			pragmas := false
			var prose []string
			for i, l := range lines {
				switch {
				case strings.HasPrefix(l, "+"):
					if !pragmas && lines[i-1] != "" {
						t.Errorf("%s: argument %s: no blank line before the pragmas", fn.name, arg)
					}
					pragmas = true
				case pragmas:
					t.Errorf("%s: argument %s: prose %q after the pragmas", fn.name, arg, l)
				default:
					prose = append(prose, l)
				}
			}
			if p := strings.TrimSpace(strings.Join(prose, " ")); !strings.HasSuffix(p, ".") {
				t.Errorf("%s: argument %s: the prose does not end a sentence: %q", fn.name, arg, p)
			}
		}
	}
}

// TestImageArgumentDocs checks that the functions that build an image
// (those with a baseImage argument) document the arguments they share
// alike: an argument with the same name and the same pragmas (+default
// or +optional) has the same prose in each. Dagger's Go SDK reads an
// argument's description only from the comment on that parameter of that
// function (cmd/codegen/generator/go/templates, commentForFuncField at
// v0.20.6), so each function must carry its own copy for dagger call
// --help; this test keeps the copies one text.
func TestImageArgumentDocs(t *testing.T) {
	type key struct{ arg, pragmas string }
	docs := map[key]map[string][]string{} // prose → functions
	var builders []string
	for _, fn := range functions(t) {
		if _, ok := fn.args["baseImage"]; !ok {
			continue
		}
		builders = append(builders, fn.name)
		for arg, lines := range fn.args {
			var prose, pragmas []string
			for _, l := range lines {
				if p, ok := strings.CutPrefix(l, "+"); ok {
					name, _, _ := strings.Cut(p, "=")
					pragmas = append(pragmas, name)
				} else {
					prose = append(prose, l)
				}
			}
			k := key{arg, strings.Join(pragmas, " ")}
			if docs[k] == nil {
				docs[k] = map[string][]string{}
			}
			text := strings.TrimSpace(strings.Join(prose, "\n"))
			docs[k][text] = append(docs[k][text], fn.name)
		}
	}
	slices.Sort(builders)
	if want := []string{"Archive", "Devcontainer", "Layout", "Publish", "Runtime"}; !slices.Equal(builders, want) {
		t.Errorf("the functions that build an image are %v, want %v", builders, want)
	}
	shared := 0
	for k, texts := range docs {
		if len(texts) > 1 {
			t.Errorf("argument %s (%s) has %d texts, by function: %v", k.arg, k.pragmas, len(texts), texts)
		}
		for _, fns := range texts {
			if len(fns) > 1 {
				shared++
			}
		}
	}
	if shared < 6 {
		t.Errorf("found %d arguments shared by several functions, want at least 6", shared)
	}
}

// TestDefaults checks the defaults in the pragmas, which cannot name Go
// constants, against the plans.
func TestDefaults(t *testing.T) {
	got := map[string]string{}
	for _, fn := range functions(t) {
		for arg, lines := range fn.args {
			for _, l := range lines {
				if v, ok := strings.CutPrefix(l, "+default="); ok {
					got[fn.name+"."+arg] = v
				}
			}
		}
	}
	q := strconv.Quote
	want := map[string]string{
		"New.nixImage":           q(container.DefaultNixImage),
		"New.goImage":            q(container.DefaultGoImage),
		"New.projectFile":        q("nixlayer.yaml"),
		"Devcontainer.sets":      q(kind.Devcontainer.DefaultSets()),
		"Runtime.sets":           q(kind.Runtime.DefaultSets()),
		"Publish.platforms":      platformsDefault(),
		"Layout.platforms":       platformsDefault(),
		"Scan.failOn":            q(scanner.DefaultThreshold.String()),
		"UpdateNixpkgs.failOn":   q(scanner.DefaultThreshold.String()),
		"Report.format":          q(string(container.ScanOutputs[0].Format)),
		"DevcontainerJSON.sets":  q(kind.Devcontainer.DefaultSets()),
		"DevcontainerJSON.image": q(kind.Devcontainer.DefaultTag()),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	var enum []string
	for _, k := range []Kind{KindDevcontainer, KindRuntime} {
		enum = append(enum, string(k))
	}
	var kinds []string
	for _, k := range kind.All {
		kinds = append(kinds, string(k))
	}
	if diff := cmp.Diff(kinds, enum); diff != "" {
		t.Errorf("the Kind enum is not the kinds the helper builds (-want +got):\n%s", diff)
	}
	var severities, thresholds []string
	for _, s := range []Severity{SeverityNone, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical} {
		severities = append(severities, string(s))
	}
	for _, l := range scanner.Thresholds() {
		thresholds = append(thresholds, l.String())
	}
	if diff := cmp.Diff(thresholds, severities); diff != "" {
		t.Errorf("the Severity enum is not the scanner's thresholds (-want +got):\n%s", diff)
	}
	var formats, scanned []string
	for _, f := range []ReportFormat{ReportFormatJSON, ReportFormatSARIF, ReportFormatMarkdown, ReportFormatCyclonedx} {
		formats = append(formats, string(f))
	}
	for _, o := range container.ScanOutputs {
		scanned = append(scanned, string(o.Format))
	}
	if diff := cmp.Diff(scanned, formats); diff != "" {
		t.Errorf("the ReportFormat enum is not the scan's outputs (-want +got):\n%s", diff)
	}
}

// TestEnumLiterals checks that every constant of the module's own types
// is a literal: the engine deletes internal/ before it reads the types,
// so a value taken from there is unknown to it (and two unknown members
// of one enum fail the module's load).
func TestEnumLiterals(t *testing.T) {
	_, files := moduleFiles(t)
	consts := 0
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					consts++
					if i >= len(vs.Values) {
						t.Errorf("constant %s has no value of its own", name.Name)
						continue
					}
					if _, ok := vs.Values[i].(*ast.BasicLit); !ok {
						t.Errorf("constant %s is not a literal: the engine cannot read it with internal/ deleted", name.Name)
					}
				}
			}
		}
	}
	if consts == 0 {
		t.Fatal("found no constant in the module's files")
	}
}

// platformsDefault is the +default of a list of platforms: every platform
// nixlayer builds for.
func platformsDefault() string {
	data, _ := json.Marshal(platform.Names())
	return string(data)
}

// TestErrors checks the module's own error messages: lower case, saying
// what was being done, never "failed to".
func TestErrors(t *testing.T) {
	_, files := moduleFiles(t)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !(sel.Sel.Name == "Errorf" || sel.Sel.Name == "New") {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Name != "fmt" && pkg.Name != "errors" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			msg, _ := strconv.Unquote(lit.Value)
			if r := []rune(msg); len(r) > 0 && unicode.IsUpper(r[0]) || strings.Contains(msg, "failed to") {
				t.Errorf("error %q: start lower-case and say what was being done", msg)
			}
			return true
		})
	}
}

// TestReadme checks that the README shows every function with dagger call,
// and calling nixlayer from another module's Go.
func TestReadme(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	// Dagger kebab-cases names word by word, an acronym being one word:
	// DevcontainerJSON is devcontainer-json.
	kebab := regexp.MustCompile(`[A-Z]+[a-z0-9]*`)
	for _, fn := range functions(t) {
		if fn.name == "New" {
			continue
		}
		name := strings.TrimPrefix(kebab.ReplaceAllStringFunc(fn.name, func(s string) string { return "-" + strings.ToLower(s) }), "-")
		if !regexp.MustCompile(`(?m)^dagger call .*\b` + name + `\b`).MatchString(readme) {
			t.Errorf("README.md has no dagger call line for %s", name)
		}
	}
	if !strings.Contains(readme, "dag.Nixlayer(") {
		t.Error("README.md does not show dag.Nixlayer( for other modules")
	}
}

// TestDependencies checks that the module's root stays light: the engine
// compiles it on every cold load of the module, so it must not import the
// image assembly, the layer planner or compression, which only the helper
// needs. Neither the root nor the helper may import the scanner, which
// lives in its own Go module.
func TestDependencies(t *testing.T) {
	forbidden := map[string][]string{
		".": {
			"github.com/nixlayer/nixlayer/internal/image",
			"github.com/nixlayer/nixlayer/internal/layers",
			"github.com/nixlayer/nixlayer/internal/pipeline",
			"github.com/nixlayer/nixlayer/internal/catalog",
			"github.com/nixlayer/nixlayer/internal/rootfs",
			"github.com/google/go-containerregistry/pkg/v1/mutate",
			"github.com/google/go-containerregistry/pkg/v1/tarball",
			"github.com/google/go-containerregistry/pkg/v1/stream",
			"github.com/klauspost/compress",
			"github.com/google/osv-scanner",
		},
		"./cmd/nixlayer": {"github.com/google/osv-scanner"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, b := range bad {
				if d == b || strings.HasPrefix(d, b+"/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
		}
		t.Logf("%s: %d packages", pkg, len(deps))
	}
}

// TestPublishToLoopback checks that a push to a registry on the host's
// loopback, which the helper's container cannot reach, is refused in one
// line before any work: the function returns before its first API call.
func TestPublishToLoopback(t *testing.T) {
	for _, address := range []string{"localhost:5000/app/runtime:1", "127.0.0.1:5000/app"} {
		_, err := (&Nixlayer{}).Publish(t.Context(), KindRuntime, address, "", nil, nil, nil, "", nil, nil, "")
		if !errors.Is(err, usererr.ErrBadInput) || !strings.Contains(err.Error(), "loopback") || strings.Contains(err.Error(), "\n") {
			t.Errorf("publishing to %s: got %v, want one line of bad input about the loopback", address, err)
		}
	}
}
