package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/iancoleman/strcase"
)

// replay evaluates the calls that built a module, as the engine's
// resolvers do when it loads the module from the ID that
// generate-typedefs wrote: Query.module, then Module.withDescription,
// withObject and withEnum, whose TypeDef and Function arguments are
// evaluated the same way. Each step applies the engine's own rules, cited
// where they are; a call the replay does not know fails, so that a newer
// code generator cannot slip past it.
type replay struct {
	// core is the core API's object, enum and scalar names: the types a
	// module may use besides its own.
	core map[string]string // name → GraphQL kind
}

// module replays the calls ending in c, a Module.
func (r *replay) module(c *call) (*API, error) {
	api := &API{}
	for _, step := range chain(c) {
		switch step.field {
		case "module":
		case "withDescription":
			api.Description = strings.TrimSpace(str(step.args["description"]))
		case "withObject", "withEnum", "withInterface":
			arg := map[string]string{"withObject": "object", "withEnum": "enum", "withInterface": "iface"}[step.field]
			td, err := r.typeDef(step.args[arg].(*call))
			if err != nil {
				return nil, err
			}
			switch {
			case step.field == "withObject" && td.object != nil:
				api.Objects = append(api.Objects, td.object)
			case step.field == "withEnum" && td.enum != nil:
				api.Enums = append(api.Enums, td.enum)
			default:
				// core/module.go WithObject, WithInterface, WithEnum.
				return nil, fmt.Errorf("Module.%s was given a %s type definition", step.field, td.typ.Kind)
			}
		default:
			return nil, fmt.Errorf("the replay does not know Module.%s", step.field)
		}
	}
	return api, r.validate(api)
}

// A typeDef is a core.TypeDef being built: its type, and the object or
// enum it defines.
type typeDef struct {
	typ    *Type
	object *Object
	enum   *Enum
}

// enumMemberName is the GraphQL rule for an enum member's name
// (core/typedef.go validateEnumMember).
var enumMemberName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// typeDef replays the calls ending in c, a TypeDef.
func (r *replay) typeDef(c *call) (*typeDef, error) {
	td := &typeDef{typ: &Type{}}
	for _, step := range chain(c) {
		a := step.args
		switch step.field {
		case "typeDef":
		case "withKind":
			td.typ.Kind = strings.TrimSuffix(string(a["kind"].(enumName)), "_KIND")
		case "withOptional":
			td.typ.Optional = a["optional"].(bool)
		case "withListOf":
			elem, err := r.typeDef(a["elementType"].(*call))
			if err != nil {
				return nil, err
			}
			td.typ.Kind, td.typ.Elem = "LIST", elem.typ
		case "withScalar":
			td.typ.Kind, td.typ.Name = "SCALAR", str(a["name"])
		case "withObject", "withInterface":
			// core/schema/module.go typeDefWithObject: a name is required.
			if str(a["name"]) == "" {
				return nil, fmt.Errorf("an object type definition has no name")
			}
			td.typ.Kind = strings.ToUpper(strings.TrimPrefix(step.field, "with"))
			td.typ.Name = strcase.ToCamel(str(a["name"]))
			td.object = &Object{Name: td.typ.Name, Description: strings.TrimSpace(str(a["description"]))}
		case "withEnum":
			if str(a["name"]) == "" {
				return nil, fmt.Errorf("an enum type definition has no name")
			}
			td.typ.Kind, td.typ.Name = "ENUM", strcase.ToCamel(str(a["name"]))
			td.enum = &Enum{Name: td.typ.Name, Description: strings.TrimSpace(str(a["description"]))}
		case "withEnumMember", "withEnumValue":
			if td.enum == nil {
				return nil, fmt.Errorf("a value added to a %s type definition, not an enum", td.typ.Kind)
			}
			// core/typedef.go WithEnumMember and NewEnumMemberTypeDef, or
			// WithEnumValue and NewEnumValueTypeDef (the value is the name).
			m := &EnumMember{OriginalName: str(a["name"]), Value: str(a["value"]), Description: str(a["description"])}
			m.Name = strcase.ToScreamingSnake(m.OriginalName)
			check := m.OriginalName
			if step.field == "withEnumValue" {
				m.OriginalName, m.Name, check = m.Value, m.Value, m.Value
			}
			if err := validateEnumMember(td.enum, check, m.Value); err != nil {
				return nil, err
			}
			td.enum.Members = append(td.enum.Members, m)
		case "withField":
			if td.object == nil {
				return nil, fmt.Errorf("a field added to a %s type definition, not an object", td.typ.Kind)
			}
			ft, err := r.typeDef(a["typeDef"].(*call))
			if err != nil {
				return nil, err
			}
			td.object.Fields = append(td.object.Fields, &Field{Name: strcase.ToLowerCamel(str(a["name"])), Description: str(a["description"]), Type: ft.typ})
		case "withFunction", "withConstructor":
			if td.object == nil {
				return nil, fmt.Errorf("a function added to a %s type definition, not an object", td.typ.Kind)
			}
			fn, err := r.function(a["function"].(*call))
			if err != nil {
				return nil, err
			}
			if step.field == "withConstructor" {
				// core/schema/module.go typeDefWithObjectConstructor.
				fn.Name, fn.OriginalName = "", ""
				td.object.Constructor = fn
			} else {
				td.object.Functions = append(td.object.Functions, fn)
			}
		default:
			return nil, fmt.Errorf("the replay does not know TypeDef.%s", step.field)
		}
	}
	return td, nil
}

// validateEnumMember is the engine's check of a new enum member
// (core/typedef.go validateEnumMember): a GraphQL name, and neither the
// name nor a non-empty value already taken.
func validateEnumMember(e *Enum, name, value string) error {
	if !enumMemberName.MatchString(name) {
		return fmt.Errorf("enum name %q is not valid (only letters, digits and underscores are allowed)", name)
	}
	for _, m := range e.Members {
		if m.Name == name {
			return fmt.Errorf("enum %q is already defined", name)
		}
		if m.Value != "" && m.Value == value {
			return fmt.Errorf("enum %q is already defined with value %q", m.Name, value)
		}
	}
	return nil
}

// function replays the calls ending in c, a Function.
func (r *replay) function(c *call) (*Function, error) {
	fn := &Function{}
	for _, step := range chain(c) {
		a := step.args
		switch step.field {
		case "function":
			// core/typedef.go NewFunction.
			ret, err := r.typeDef(a["returnType"].(*call))
			if err != nil {
				return nil, err
			}
			fn.OriginalName = str(a["name"])
			fn.Name = strcase.ToLowerCamel(fn.OriginalName)
			fn.Return = ret.typ
		case "withDescription":
			fn.Description = strings.TrimSpace(str(a["description"]))
		case "withDeprecated":
			reason := str(a["reason"])
			fn.Deprecated = &reason
		case "withSourceMap":
		case "withCachePolicy":
			if err := cachePolicy(fn, string(a["policy"].(enumName)), a["timeToLive"]); err != nil {
				return nil, fmt.Errorf("function %s: %w", fn.OriginalName, err)
			}
		case "withArg":
			arg, err := r.arg(a)
			if err != nil {
				return nil, fmt.Errorf("function %s, argument %s: %w", fn.OriginalName, str(a["name"]), err)
			}
			fn.Args = append(fn.Args, arg)
		default:
			return nil, fmt.Errorf("the replay does not know Function.%s", step.field)
		}
	}
	return fn, nil
}

// cachePolicy is core/schema/module.go functionWithCachePolicy: a time to
// live only with the default policy, between the engine's bounds, and 0
// meaning never.
func cachePolicy(fn *Function, policy string, ttl value) error {
	fn.CachePolicy = policy
	if policy == "Default" {
		fn.CachePolicy = ""
	}
	if ttl == nil {
		return nil
	}
	if policy != "Default" {
		return fmt.Errorf("time to live can only be set with default cache policy")
	}
	d, err := time.ParseDuration(str(ttl))
	if err != nil {
		return fmt.Errorf("parsing the time to live %q: %w", str(ttl), err)
	}
	// core/modfunc.go: MinFunctionCacheTTLSeconds and MaxFunctionCacheTTLSeconds.
	const minTTL, maxTTL = time.Second, 7 * 24 * time.Hour
	switch {
	case d == 0:
		fn.CachePolicy = "Never"
	case d < minTTL || d > maxTTL:
		return fmt.Errorf("time to live %q is outside %s to %s", str(ttl), minTTL, maxTTL)
	default:
		fn.CacheTTL = d.String()
	}
	return nil
}

// arg is core/schema/module.go functionWithArg.
func (r *replay) arg(a map[string]value) (*Arg, error) {
	td, err := r.typeDef(a["typeDef"].(*call))
	if err != nil {
		return nil, err
	}
	arg := &Arg{
		Name:           strcase.ToLowerCamel(str(a["name"])),
		Description:    strings.TrimSpace(str(a["description"])),
		Type:           td.typ,
		DefaultPath:    str(a["defaultPath"]),
		DefaultAddress: str(a["defaultAddress"]),
	}
	if dv, ok := a["defaultValue"]; ok && dv != nil {
		var v any
		if err := json.Unmarshal([]byte(str(dv)), &v); err != nil {
			return nil, fmt.Errorf("its default value %q is not JSON: %w", str(dv), err)
		}
		arg.Default = str(dv)
	}
	for _, p := range list(a["ignore"]) {
		arg.Ignore = append(arg.Ignore, str(p))
	}
	defaults := 0
	for _, set := range []bool{arg.Default != "", arg.DefaultPath != "", arg.DefaultAddress != ""} {
		if set {
			defaults++
		}
	}
	switch {
	case defaults > 1:
		return nil, fmt.Errorf("cannot set more than one default value")
	case arg.DefaultPath != "" && (td.typ.Kind != "OBJECT" || !slices.Contains([]string{"Directory", "File", "GitRepository", "GitRef"}, td.typ.Name)):
		return nil, fmt.Errorf("cannot set default path for %s", td.typ)
	case arg.DefaultAddress != "" && (td.typ.Kind != "OBJECT" || td.typ.Name != "Container"):
		return nil, fmt.Errorf("can only set default address for Container type, not %s", td.typ)
	case len(arg.Ignore) > 0 && (td.typ.Kind != "OBJECT" || td.typ.Name != "Directory"):
		return nil, fmt.Errorf("can only set ignore for Directory type, not %s", td.typ)
	}
	if arg.DefaultPath != "" || arg.DefaultAddress != "" {
		t := *arg.Type
		t.Optional = true
		arg.Type = &t
	}
	return arg, nil
}

// validate is what the engine checks when it installs the module
// (core/module.go validateObjectTypeDef, namespaceTypeDef, Patch;
// core/object.go installConstructor): no field or function named id,
// every type one of core's or the module's own, a constructor that
// returns its object, enum defaults that name a member, and an enum value
// the code generator could read. The last is nixlayer's own rule: the
// generator gives a member whose constant it cannot evaluate the value
// "unknown" (cmd/codegen/generator/go/templates/module_enums.go, the
// constant's ExactString), which the engine takes as a real value.
func (r *replay) validate(api *API) error {
	own := map[string]string{}
	for _, o := range api.Objects {
		own[o.Name] = "OBJECT"
	}
	enums := map[string]*Enum{}
	for _, e := range api.Enums {
		own[e.Name] = "ENUM"
		enums[e.Name] = e
		for _, m := range e.Members {
			if m.Value == "unknown" {
				return fmt.Errorf("enum %s member %s has the value \"unknown\": the code generator could not evaluate its constant, which must be a literal in the module's root package (the engine deletes internal/ before reading the types)", e.Name, m.Name)
			}
		}
	}
	var check func(where string, t *Type) error
	check = func(where string, t *Type) error {
		switch t.Kind {
		case "LIST":
			return check(where, t.Elem)
		case "OBJECT", "INTERFACE", "ENUM", "SCALAR":
			if own[t.Name] == "" && r.core[t.Name] == "" {
				return fmt.Errorf("%s has the type %s, which is neither the core API's nor the module's", where, t.Name)
			}
		case "STRING", "INTEGER", "FLOAT", "BOOLEAN", "VOID":
		default:
			return fmt.Errorf("%s has a type of kind %q, which the engine does not install", where, t.Kind)
		}
		return nil
	}
	for _, o := range api.Objects {
		for _, f := range o.Fields {
			if f.Name == "id" {
				return fmt.Errorf("cannot define field with reserved name %q on object %q", f.Name, o.Name)
			}
			if err := check("field "+o.Name+"."+f.Name, f.Type); err != nil {
				return err
			}
		}
		fns := o.Functions
		if c := o.Constructor; c != nil {
			if c.Return.Kind != "OBJECT" || c.Return.Name != o.Name {
				return fmt.Errorf("constructor function for object %s must return that object", o.Name)
			}
			fns = append(fns, c)
		}
		for _, f := range fns {
			where := "function " + o.Name + "." + f.Name
			if f.Name == "id" {
				return fmt.Errorf("cannot define function with reserved name %q on object %q", f.Name, o.Name)
			}
			if err := check(where, f.Return); err != nil {
				return err
			}
			for _, a := range f.Args {
				if err := check("argument "+a.Name+" of "+where, a.Type); err != nil {
					return err
				}
				if e := enums[a.Type.Name]; e != nil && a.Default != "" && !hasMember(e, a.Default) {
					return fmt.Errorf("argument %s of %s defaults to %s, which is not a member of %s", a.Name, where, a.Default, e.Name)
				}
			}
		}
	}
	if missing := api.undocumented(); len(missing) > 0 {
		return fmt.Errorf("no documentation for %s", strings.Join(missing, ", "))
	}
	return nil
}

// hasMember reports whether a JSON default names an enum member by the
// name the code generator gave it (core/module.go Patch).
func hasMember(e *Enum, def string) bool {
	var s string
	if json.Unmarshal([]byte(def), &s) != nil {
		return false
	}
	for _, m := range e.Members {
		if m.OriginalName == s {
			return true
		}
	}
	return false
}

// chain is the calls from the root's field down to c.
func chain(c *call) []*call {
	var out []*call
	for ; c != nil; c = c.parent {
		out = append(out, c)
	}
	slices.Reverse(out)
	return out
}

func str(v value) string {
	s, _ := v.(string)
	return s
}

func list(v value) []value {
	l, _ := v.([]value)
	return l
}
