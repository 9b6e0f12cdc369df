package examples_test

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
)

// daggerModules are the Dagger modules in this repository besides the root
// one. Only the engine can compile them, as their bindings are generated
// when it loads them, so each has a go.mod of its own, which keeps it out
// of the root module's build, and these tests check what can be checked
// without the engine.
var daggerModules = []struct {
	dir, name, goModule string
	// dependency is the local path by which the module depends on the
	// repository's root, as Dagger's own modules do for their tests.
	dependency string
}{
	{"go", "myapp", "example.com/myapp", "../.."},
	{"../tests", "tests", "github.com/nixlayer/nixlayer/tests", ".."},
}

// TestDaggerModules checks each module's Go files are gofmt-ed and parse,
// and its dagger.json and go.mod.
func TestDaggerModules(t *testing.T) {
	rootGo := goDirective(t, "../go.mod")
	for _, m := range daggerModules {
		t.Run(m.name, func(t *testing.T) {
			gofiles := 0
			err := filepath.WalkDir(m.dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
					return err
				}
				gofiles++
				src, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				formatted, err := format.Source(src)
				if err != nil {
					t.Errorf("%s: %v", repoPath(p), err)
				} else if string(formatted) != string(src) {
					t.Errorf("%s is not gofmt-ed", repoPath(p))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if gofiles == 0 {
				t.Fatalf("%s has no Go file", repoPath(m.dir))
			}

			type dependency struct {
				Name   string `json:"name"`
				Source string `json:"source"`
			}
			var mod struct {
				Name string `json:"name"`
				SDK  struct {
					Source string `json:"source"`
				} `json:"sdk"`
				Dependencies []dependency `json:"dependencies"`
			}
			readJSON(t, filepath.Join(m.dir, "dagger.json"), &mod)
			if mod.Name != m.name || mod.SDK.Source != "go" {
				t.Errorf("%s/dagger.json: name %q and SDK %q, want %q and go", repoPath(m.dir), mod.Name, mod.SDK.Source, m.name)
			}
			if diff := cmp.Diff([]dependency{{"nixlayer", m.dependency}}, mod.Dependencies); diff != "" {
				t.Errorf("%s/dagger.json: dependencies (-want +got):\n%s", repoPath(m.dir), diff)
			}
			dep, _ := filepath.Abs(filepath.Join(m.dir, m.dependency))
			root, _ := filepath.Abs("..")
			if dep != root {
				t.Errorf("%s/dagger.json: the dependency %s is %s, not the repository's root", repoPath(m.dir), m.dependency, dep)
			}

			gomod, err := os.ReadFile(filepath.Join(m.dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(gomod), "module "+m.goModule+"\n") {
				t.Errorf("%s/go.mod must start with module %s:\n%s", repoPath(m.dir), m.goModule, gomod)
			}
			if got := goDirective(t, filepath.Join(m.dir, "go.mod")); got != rootGo {
				t.Errorf("%s/go.mod: go %s, want go %s as the root go.mod (the engine's codegen rejects a newer one)", repoPath(m.dir), got, rootGo)
			}
		})
	}
}

// goDirective is a go.mod's go version.
func goDirective(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s has no go directive", file)
	}
	return string(m[1])
}

// TestModulesUseNixlayer checks how the modules call nixlayer through
// their generated client, against the root module's functions: each
// dagger.Nixlayer…Opts literal belongs to a function nixlayer has, and
// sets only its optional arguments; each method called on a nixlayer
// client is a function nixlayer has, given its required arguments.
func TestModulesUseNixlayer(t *testing.T) {
	api := loadAPI(t, "..")
	for _, m := range daggerModules {
		t.Run(m.name, func(t *testing.T) {
			fset := token.NewFileSet()
			file := filepath.Join(m.dir, "main.go")
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			// The calls that return a nixlayer client: dag.Nixlayer, and the
			// module's own functions that return *dagger.Nixlayer.
			clients := map[string]bool{"Nixlayer": true}
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Type.Results != nil && len(fd.Type.Results.List) == 1 {
					if r := fd.Type.Results.List[0].Type; isPointer(r) && typeName(r) == "Nixlayer" {
						clients[fd.Name.Name] = true
					}
				}
			}
			uses := 0
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if name, ok := daggerType(n.Type); ok && strings.HasPrefix(name, "Nixlayer") && strings.HasSuffix(name, "Opts") {
						uses++
						for _, p := range checkOpts(api, name, n) {
							t.Errorf("%s: %s", fset.Position(n.Pos()), p)
						}
					}
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					recv, ok := sel.X.(*ast.CallExpr)
					if !ok || !clients[calledName(recv)] {
						return true
					}
					uses++
					fn := api.types[api.main].funcs[kebab(sel.Sel.Name)]
					if fn == nil {
						t.Errorf("%s: nixlayer has no function %s (it has %s)", fset.Position(n.Pos()), kebab(sel.Sel.Name), api.types[api.main].funcNames())
						return true
					}
					required := 0
					for _, a := range fn.args {
						if a.required {
							required++
						}
					}
					if got := positionalArgs(n); got != required {
						t.Errorf("%s: %s is given %d required arguments, want %d", fset.Position(n.Pos()), fn.name, got, required)
					}
				}
				return true
			})
			if uses == 0 {
				t.Errorf("%s does not call nixlayer", repoPath(file))
			}
		})
	}
}

// checkOpts checks an Opts literal of the nixlayer client, such as
// NixlayerRuntimeOpts{Sets: …}, against the function it is for.
func checkOpts(api *daggerAPI, name string, lit *ast.CompositeLit) []string {
	goName := strings.TrimSuffix(strings.TrimPrefix(name, "Nixlayer"), "Opts")
	var fn *daggerFunc
	if goName == "" {
		fn = api.types[api.main].funcs[""]
	}
	for typ := range api.own {
		rest, ok := strings.CutPrefix(goName, strings.TrimPrefix(typ, api.main))
		if f := api.types[typ].funcs[kebab(rest)]; ok && rest != "" && f != nil {
			fn = f
		}
	}
	if fn == nil {
		return []string{"dagger." + name + ": nixlayer has no function " + kebab(goName)}
	}
	var problems []string
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key := kebab(kv.Key.(*ast.Ident).Name)
		if a, ok := fn.args[key]; !ok || a.required {
			problems = append(problems, "dagger."+name+": "+kebab(goName)+" has no optional argument --"+key+" (it has "+fn.flagNames()+")")
		}
	}
	return problems
}

// daggerType returns the name of a type of the dagger package.
func daggerType(e ast.Expr) (string, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return sel.Sel.Name, ok && pkg.Name == "dagger"
}

// calledName is the name of the function or method a call calls.
func calledName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// positionalArgs counts a binding call's required arguments: those that
// are neither the context nor an Opts struct.
func positionalArgs(c *ast.CallExpr) int {
	n := 0
	for _, a := range c.Args {
		if id, ok := a.(*ast.Ident); ok && id.Name == "ctx" {
			continue
		}
		if lit, ok := a.(*ast.CompositeLit); ok {
			if name, ok := daggerType(lit.Type); ok && strings.HasSuffix(name, "Opts") {
				continue
			}
		}
		n++
	}
	return n
}

// TestTestsModuleAll checks that the tests module's All runs every other
// test it has.
func TestTestsModuleAll(t *testing.T) {
	api := loadAPI(t, "../tests")
	tests := api.types[api.main]
	want := map[string]bool{}
	for name := range tests.funcs {
		if name != "" && name != "all" {
			want[name] = true
		}
	}
	for _, name := range []string{"sets", "closure", "runtime", "devcontainer", "bad-set"} {
		if !want[name] {
			t.Errorf("the tests module has no function %s", name)
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "../tests/main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "All" {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				delete(want, kebab(sel.Sel.Name))
			}
			return true
		})
		for name := range want {
			t.Errorf("All does not run %s", name)
		}
		return
	}
	t.Fatal("the tests module has no All")
}

// TestGoExample checks the application that examples/go builds: it builds
// and runs, and the module builds it in the Go image nixlayer builds its
// helper in.
func TestGoExample(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "hello")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = "go/app"
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building examples/go/app: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "test").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "Hello, test, from linux/") {
		t.Errorf("examples/go/app printed %q", out)
	}

	f, err := parser.ParseFile(token.NewFileSet(), "go/main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	image := ""
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.CONST {
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if vs.Names[0].Name == "goImage" {
					image, _ = strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
				}
			}
		}
	}
	if image != container.DefaultGoImage {
		t.Errorf("examples/go builds in %q, want nixlayer's Go image %q", image, container.DefaultGoImage)
	}
}
