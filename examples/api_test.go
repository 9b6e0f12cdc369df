package examples_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// A daggerAPI is what `dagger call` can reach from a module: the module's
// object types with their functions, and the core types (Container, File,
// Directory, …) that its functions return, each function with the flags
// dagger call gives it. It is read from Go source: the module's own files,
// and the core API's generated bindings, internal/dagger/dagger.gen.go.
type daggerAPI struct {
	// name is the module's name, as dagger.json gives it.
	name string
	// main is the module's main object type, whose constructor's
	// arguments are the flags before the first function.
	main string
	// types are the object types by Go name, the module's and the core's.
	types map[string]*objectType
	// own are the names of the module's own object types.
	own map[string]bool
}

// objectType is an object type and its functions by kebab-case name.
type objectType struct {
	name  string
	funcs map[string]*daggerFunc
}

// daggerFunc is a function as dagger call sees it.
type daggerFunc struct {
	name string // kebab-case
	// args are the flags, by kebab-case name.
	args map[string]daggerArg
	// returns is the Go name of the object type the function returns, or
	// "" for a scalar, a list or nothing, after which a call cannot go on.
	returns string
}

// daggerArg is a flag of a function.
type daggerArg struct {
	// bool flags take no value unless given as --flag=value.
	bool bool
	// required arguments have no default and are not optional.
	required bool
}

// flagNames lists a function's flags, sorted, for messages.
func (f *daggerFunc) flagNames() string {
	var names []string
	for n := range f.args {
		names = append(names, "--"+n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "no flags"
	}
	return strings.Join(names, ", ")
}

// funcNames lists a type's functions, sorted, for messages.
func (o *objectType) funcNames() string {
	var names []string
	for n := range o.funcs {
		if n != "" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// coreBindings is the core API's generated Go bindings, relative to the
// examples directory.
const coreBindings = "../internal/dagger/dagger.gen.go"

// loadAPI reads the API of the Dagger module in dir, whose dagger.json
// names it, with the core types of the generated bindings.
func loadAPI(t *testing.T, dir string) *daggerAPI {
	t.Helper()
	var mod struct {
		Name string `json:"name"`
	}
	readJSON(t, filepath.Join(dir, "dagger.json"), &mod)
	api := &daggerAPI{name: mod.Name, types: map[string]*objectType{}, own: map[string]bool{}}
	addCore(t, api)
	addModule(t, api, dir)
	if api.types[api.main] == nil {
		t.Fatalf("%s: no main object type %s", dir, api.main)
	}
	return api
}

// addModule adds the module's object types: the exported methods of its
// package main, and New, the main type's constructor.
func addModule(t *testing.T, api *daggerAPI, dir string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		base := filepath.Base(name)
		if strings.HasSuffix(base, "_test.go") || base == "dagger.gen.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// The module's types first, so that results can tell them from core's.
	own := api.own
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
				if recv := typeName(fd.Recv.List[0].Type); ast.IsExported(recv) {
					own[recv] = true
				}
			}
		}
	}
	api.main = pascal(api.name)
	var ctor *daggerFunc
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			fn := &daggerFunc{name: kebab(fd.Name.Name), args: map[string]daggerArg{}, returns: resultType(fd, own, api)}
			for _, p := range fd.Type.Params.List {
				if typeName(p.Type) == "Context" {
					continue
				}
				pragmas := fieldPragmas(fset, f, p)
				for _, n := range p.Names {
					fn.args[kebab(n.Name)] = daggerArg{
						bool:     isBool(p.Type),
						required: !pragmas["optional"] && !pragmas["default"] && !pragmas["defaultPath"],
					}
				}
			}
			switch {
			case fd.Recv != nil:
				api.object(typeName(fd.Recv.List[0].Type)).funcs[fn.name] = fn
			case fd.Name.Name == "New":
				api.main, ctor = fn.returns, fn
			}
		}
	}
	main := api.object(api.main)
	if ctor == nil {
		ctor = &daggerFunc{args: map[string]daggerArg{}}
	}
	// The constructor's flags come before the first function; keep them
	// under the empty name.
	ctor.name, ctor.returns = "", api.main
	main.funcs[""] = ctor
}

// addCore adds the core types from the generated bindings: each exported
// method's positional parameters are its required flags, and the fields
// of its …Opts struct its optional ones.
func addCore(t *testing.T, api *daggerAPI) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, coreBindings, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	opts := map[string]*ast.StructType{}
	core := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					if st, ok := ts.Type.(*ast.StructType); ok && strings.HasSuffix(ts.Name.Name, "Opts") {
						opts[ts.Name.Name] = st
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv != nil {
				core[typeName(d.Recv.List[0].Type)] = true
			}
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || !fd.Name.IsExported() {
			continue
		}
		fn := &daggerFunc{name: kebab(fd.Name.Name), args: map[string]daggerArg{}}
		if res := fd.Type.Results; res != nil {
			if name := typeName(res.List[0].Type); core[name] && isPointer(res.List[0].Type) {
				fn.returns = name
			}
		}
		for _, p := range fd.Type.Params.List {
			if typeName(p.Type) == "Context" {
				continue
			}
			if ell, ok := p.Type.(*ast.Ellipsis); ok {
				if st := opts[typeName(ell.Elt)]; st != nil {
					for _, field := range st.Fields.List {
						for _, n := range field.Names {
							fn.args[kebab(n.Name)] = daggerArg{bool: isBool(field.Type)}
						}
					}
				}
				continue
			}
			for _, n := range p.Names {
				fn.args[kebab(n.Name)] = daggerArg{bool: isBool(p.Type), required: true}
			}
		}
		api.object(typeName(fd.Recv.List[0].Type)).funcs[fn.name] = fn
	}
}

// object returns the object type named name, adding it if it is new.
func (api *daggerAPI) object(name string) *objectType {
	o := api.types[name]
	if o == nil {
		o = &objectType{name: name, funcs: map[string]*daggerFunc{}}
		api.types[name] = o
	}
	return o
}

// resultType is the object type that fd returns: one of the module's own
// types (own), or a core type of the dagger package, or "" for anything
// else.
func resultType(fd *ast.FuncDecl, own map[string]bool, api *daggerAPI) string {
	res := fd.Type.Results
	if res == nil || len(res.List) == 0 || !isPointer(res.List[0].Type) {
		return ""
	}
	name := typeName(res.List[0].Type)
	star := res.List[0].Type.(*ast.StarExpr)
	if sel, ok := star.X.(*ast.SelectorExpr); ok {
		if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "dagger" && api.types[name] != nil {
			return name
		}
		return ""
	}
	if own[name] {
		return name
	}
	return ""
}

// fieldPragmas returns the pragmas (+optional, +default=…,
// +defaultPath=…) of the comment above a parameter, by name.
func fieldPragmas(fset *token.FileSet, f *ast.File, p *ast.Field) map[string]bool {
	out := map[string]bool{}
	line := fset.Position(p.Pos()).Line
	for _, cg := range f.Comments {
		if fset.Position(cg.End()).Line != line-1 {
			continue
		}
		for _, l := range strings.Split(cg.Text(), "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "+"); ok {
				name, _, _ := strings.Cut(rest, "=")
				out[name] = true
			}
		}
	}
	return out
}

// typeName is the name of a type expression without its package, pointer,
// slice or ellipsis: Container for *dagger.Container.
func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return typeName(e.X)
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.ArrayType:
		return typeName(e.Elt)
	case *ast.Ellipsis:
		return typeName(e.Elt)
	}
	return ""
}

func isPointer(e ast.Expr) bool {
	_, ok := e.(*ast.StarExpr)
	return ok
}

func isBool(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "bool"
}

// kebab turns a Go name into dagger call's kebab case: asJSON is as-json,
// DevcontainerJSON is devcontainer-json, WithExec is with-exec.
func kebab(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) {
			if i > 0 && (!unicode.IsUpper(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
				b.WriteByte('-')
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pascal turns a module name such as my-app into its main type's Go name,
// MyApp.
func pascal(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"asJSON": "as-json", "DevcontainerJSON": "devcontainer-json", "WithExec": "with-exec",
		"ProjectFile": "project-file", "UpdateNixpkgs": "update-nixpkgs", "imageRef": "image-ref",
		"HTTPServer": "http-server", "sets": "sets", "ID": "id",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAPI checks the reading of the APIs against facts of the root module
// and of the core API that any version has.
func TestAPI(t *testing.T) {
	api := loadAPI(t, "..")
	if api.main != "Nixlayer" {
		t.Errorf("the root module's main type is %q, want Nixlayer", api.main)
	}
	ctor := api.types["Nixlayer"].funcs[""]
	if ctor == nil {
		t.Fatal("the root module has no constructor")
	}
	for _, name := range []string{"project", "project-file", "nixpkgs"} {
		if a, ok := ctor.args[name]; !ok || a.required || a.bool {
			t.Errorf("the constructor's --%s is %+v (present: %v), want an optional flag that takes a value", name, a, ok)
		}
	}
	closure := api.types["Nixlayer"].funcs["closure"]
	if closure == nil {
		t.Fatal("the root module has no closure function")
	}
	want := map[string]daggerArg{"sets": {required: true}, "packages": {}, "as-json": {bool: true}, "platform": {}}
	if diff := cmp.Diff(want, closure.args, cmp.AllowUnexported(daggerArg{})); diff != "" {
		t.Errorf("closure's flags (-want +got):\n%s", diff)
	}
	if rt := api.types["Nixlayer"].funcs["runtime"]; rt == nil || rt.returns != "Container" {
		t.Errorf("runtime = %+v, want a function that returns a Container", rt)
	}
	exec := api.types["Container"].funcs["with-exec"]
	if exec == nil || !exec.args["args"].required || !exec.args["use-entrypoint"].bool || exec.returns != "Container" {
		t.Errorf("Container.with-exec = %+v, want a required --args, a bool --use-entrypoint, and a Container", exec)
	}
	if export := api.types["File"].funcs["export"]; export == nil || !export.args["path"].required || export.returns != "" {
		t.Errorf("File.export = %+v, want a required --path and no object", export)
	}
}
