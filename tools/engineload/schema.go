package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/dagger/dagger/cmd/codegen/introspection"
	"github.com/iancoleman/strcase"
)

// readSchema reads the introspection JSON that the engine gives a Go
// module's code generation (core/sdk/go_sdk.go mounts it at
// /schema.json): the core API in the module's view.
func readSchema(path string) (*introspection.Response, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the engine's schema: %w", err)
	}
	var resp introspection.Response
	if err := json.Unmarshal(data, &resp); err != nil {
		return nil, fmt.Errorf("reading the engine's schema %s: %w", path, err)
	}
	if resp.Schema == nil || resp.Schema.Query() == nil {
		return nil, fmt.Errorf("the engine's schema %s has no Query type", path)
	}
	return &resp, nil
}

// coreTypes is the schema's object, interface, enum and scalar names.
func coreTypes(s *introspection.Schema) map[string]string {
	out := map[string]string{}
	for _, t := range s.Types {
		out[t.Name] = string(t.Kind)
	}
	return out
}

// withDependency is the schema a module that depends on mod sees: the
// core API with mod's types installed as the engine installs a
// dependency's (core/module.go namespaceTypeDef, core/gqlformat.go
// namespaceObject, core/object.go Install and installConstructor,
// core/enum.go PossibleValues, core/typedef.go Function.FieldSpec, ToType
// and ToInput, dagql's ID scalars and load<Type>FromID fields). Each type
// and Query field it adds carries a sourceMap directive naming mod, which
// is how the code generator tells a dependency's types from core's
// (cmd/codegen/introspection/filters.go DependencyNames) and writes them
// into internal/dagger/<mod>.gen.go.
//
// The engine also extends Binding and Env with a field per object type;
// those are left out, as the modules here use neither.
func withDependency(base *introspection.Response, mod string, api *API) (*introspection.Response, error) {
	var raw bytes.Buffer
	if err := json.NewEncoder(&raw).Encode(base); err != nil {
		return nil, err
	}
	var resp introspection.Response
	if err := json.Unmarshal(raw.Bytes(), &resp); err != nil {
		return nil, err
	}
	s := resp.Schema
	names := map[string]string{}
	for _, o := range api.Objects {
		names[o.Name] = namespaceObject(o.Name, mod)
	}
	for _, e := range api.Enums {
		names[e.Name] = namespaceObject(e.Name, mod)
	}
	dirs := sourceMap(mod)
	conv := converter{names: names, enums: map[string]*Enum{}}
	for _, e := range api.Enums {
		conv.enums[e.Name] = e
		t := &introspection.Type{Kind: introspection.TypeKindEnum, Name: names[e.Name], Description: e.Description, Directives: dirs, Interfaces: []*introspection.Type{}}
		for _, m := range e.Members {
			ev := introspection.EnumValue{Name: m.Name, Description: m.Description, Directives: introspection.Directives{}}
			if m.Value != "" && m.Value != m.Name {
				ev.Directives = append(ev.Directives, directive("enumValue", "value", m.Value))
			}
			t.EnumValues = append(t.EnumValues, ev)
		}
		s.Types = append(s.Types, t)
	}
	query := s.Query()
	for _, o := range api.Objects {
		name := names[o.Name]
		t := &introspection.Type{Kind: introspection.TypeKindObject, Name: name, Description: o.Description, Directives: dirs, Interfaces: []*introspection.Type{}}
		t.Fields = append(t.Fields, &introspection.Field{
			Name:        "id",
			Description: "A unique identifier for this " + name + ".",
			TypeRef:     nonNull(&introspection.TypeRef{Kind: introspection.TypeKindScalar, Name: name + "ID"}),
			Args:        introspection.InputValues{},
			Directives:  introspection.Directives{},
		})
		for _, f := range o.Fields {
			t.Fields = append(t.Fields, &introspection.Field{Name: f.Name, Description: f.Description, TypeRef: conv.output(f.Type), Args: introspection.InputValues{}, Directives: dirs})
		}
		for _, f := range o.Functions {
			field, err := conv.field(f.Name, f, dirs)
			if err != nil {
				return nil, err
			}
			t.Fields = append(t.Fields, field)
		}
		s.Types = append(s.Types, t, &introspection.Type{
			Kind:        introspection.TypeKindScalar,
			Name:        name + "ID",
			Description: "The `" + name + "ID` scalar type represents an identifier for an object of type " + name + ".",
			Directives:  introspection.Directives{},
			Interfaces:  []*introspection.Type{},
		})
		query.Fields = append(query.Fields, &introspection.Field{
			Name:        "load" + name + "FromID",
			Description: "Load a " + name + " from its ID.",
			TypeRef:     nonNull(&introspection.TypeRef{Kind: introspection.TypeKindObject, Name: name}),
			Args:        introspection.InputValues{{Name: "id", TypeRef: nonNull(&introspection.TypeRef{Kind: introspection.TypeKindScalar, Name: name + "ID"}), Directives: introspection.Directives{}}},
			Directives:  dirs,
		})
		if strcase.ToCamel(o.Name) == strcase.ToCamel(mod) {
			ctor := o.Constructor
			if ctor == nil {
				ctor = &Function{Return: &Type{Kind: "OBJECT", Name: o.Name}}
			}
			ctor.Description = firstNonEmpty(ctor.Description, o.Description, api.Description)
			field, err := conv.field(strcase.ToLowerCamel(mod), ctor, dirs)
			if err != nil {
				return nil, err
			}
			query.Fields = append(query.Fields, field)
		}
	}
	sort.Slice(query.Fields, func(i, j int) bool { return query.Fields[i].Name < query.Fields[j].Name })
	return &resp, nil
}

// namespaceObject is core/gqlformat.go namespaceObject for a module whose
// final name is its original name: the main object keeps the module's
// name, an object named after it keeps its name, any other is prefixed.
func namespaceObject(obj, mod string) string {
	obj, prefix := strcase.ToCamel(obj), strcase.ToCamel(mod)
	if rest, ok := strings.CutPrefix(obj, prefix); ok {
		if rest == "" || 'A' <= rest[0] && rest[0] <= 'Z' {
			return obj
		}
	}
	return strcase.ToCamel(mod + "_" + obj)
}

// A converter turns the module's types into the schema's, with its
// namespaced names.
type converter struct {
	names map[string]string
	enums map[string]*Enum
}

// field is core/typedef.go Function.FieldSpec.
func (c converter) field(name string, f *Function, dirs introspection.Directives) (*introspection.Field, error) {
	field := &introspection.Field{Name: name, Description: f.Description, TypeRef: c.output(f.Return), Args: introspection.InputValues{}, Directives: dirs}
	for _, a := range f.Args {
		in := introspection.InputValue{Name: a.Name, Description: a.Description, TypeRef: c.input(a.Type), Directives: introspection.Directives{}}
		if a.Default != "" {
			lit, err := c.literal(a.Type, a.Default)
			if err != nil {
				return nil, fmt.Errorf("the default of argument %s of %s: %w", a.Name, name, err)
			}
			in.DefaultValue = &lit
		}
		if a.DefaultPath != "" {
			in.Directives = append(in.Directives, directive("defaultPath", "path", a.DefaultPath))
		}
		if a.DefaultAddress != "" {
			in.Directives = append(in.Directives, directive("defaultAddress", "address", a.DefaultAddress))
		}
		field.Args = append(field.Args, in)
	}
	return field, nil
}

// output is core/typedef.go ToTyped().Type().
func (c converter) output(t *Type) *introspection.TypeRef {
	var ref *introspection.TypeRef
	switch t.Kind {
	case "LIST":
		ref = &introspection.TypeRef{Kind: introspection.TypeKindList, OfType: c.output(t.Elem)}
	case "OBJECT":
		ref = &introspection.TypeRef{Kind: introspection.TypeKindObject, Name: c.name(t.Name)}
	default:
		ref = c.leaf(t)
	}
	if t.Optional {
		return ref
	}
	return nonNull(ref)
}

// input is core/typedef.go ToInput().Type(): an object is passed by ID.
func (c converter) input(t *Type) *introspection.TypeRef {
	var ref *introspection.TypeRef
	switch t.Kind {
	case "LIST":
		ref = &introspection.TypeRef{Kind: introspection.TypeKindList, OfType: c.input(t.Elem)}
	case "OBJECT", "INTERFACE":
		ref = &introspection.TypeRef{Kind: introspection.TypeKindScalar, Name: c.name(t.Name) + "ID"}
	default:
		ref = c.leaf(t)
	}
	if t.Optional {
		return ref
	}
	return nonNull(ref)
}

func (c converter) leaf(t *Type) *introspection.TypeRef {
	switch t.Kind {
	case "ENUM":
		return &introspection.TypeRef{Kind: introspection.TypeKindEnum, Name: c.name(t.Name)}
	case "INTERFACE":
		return &introspection.TypeRef{Kind: introspection.TypeKindInterface, Name: c.name(t.Name)}
	}
	return &introspection.TypeRef{Kind: introspection.TypeKindScalar, Name: strings.TrimSuffix((&Type{Kind: t.Kind, Name: t.Name}).String(), "!")}
}

func (c converter) name(n string) string {
	if ns, ok := c.names[n]; ok {
		return ns
	}
	return n
}

// literal is a JSON default as a GraphQL literal, as dagql prints an
// argument's default in introspection: an enum member by its name.
func (c converter) literal(t *Type, def string) (string, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(def))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if e := c.enums[t.Name]; t.Kind == "ENUM" && e != nil {
		for _, m := range e.Members {
			if m.OriginalName == v {
				return m.Name, nil
			}
		}
		return "", fmt.Errorf("%s is not a member of %s", def, t.Name)
	}
	return gqlLiteral(v), nil
}

func gqlLiteral(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = gqlLiteral(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + gqlLiteral(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprint(v)
}

func nonNull(ref *introspection.TypeRef) *introspection.TypeRef {
	return &introspection.TypeRef{Kind: introspection.TypeKindNonNull, OfType: ref}
}

// directive is a directive with one string argument, its value JSON as
// introspection gives it.
func directive(name, arg, val string) *introspection.Directive {
	q, _ := json.Marshal(val)
	s := string(q)
	return &introspection.Directive{Name: name, Args: []*introspection.DirectiveArg{{Name: arg, Value: &s}}}
}

// sourceMap marks a type or field as the module's (core/typedef.go
// SourceMap.TypeDirective; core/module.go namespaceSourceMap records the
// module's name even where the SDK gave no position).
func sourceMap(mod string) introspection.Directives {
	return introspection.Directives{directive("sourceMap", "module", mod)}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
