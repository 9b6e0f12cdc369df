package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// An API is a module's API as the engine reads it from the module's type
// definitions: the shape of core.Module's ObjectDefs and EnumDefs
// (core/module.go, core/typedef.go), with the engine's names
// (lowerCamelCase functions and arguments).
type API struct {
	Description string
	Objects     []*Object
	Enums       []*Enum
}

// An Object is a core.ObjectTypeDef.
type Object struct {
	Name        string
	Description string
	Fields      []*Field
	Functions   []*Function
	Constructor *Function
}

// A Field is a core.FieldTypeDef.
type Field struct {
	Name        string
	Description string
	Type        *Type
}

// A Function is a core.Function: its cache policy is "" for the
// default, or PerSession or Never.
type Function struct {
	Name         string
	OriginalName string
	Description  string
	Args         []*Arg
	Return       *Type
	CachePolicy  string
	CacheTTL     string
	Deprecated   *string
}

// An Arg is a core.FunctionArg; Default is its default value as JSON.
type Arg struct {
	Name           string
	Description    string
	Type           *Type
	Default        string
	DefaultPath    string
	DefaultAddress string
	Ignore         []string
}

// A Type is a core.TypeDef: Kind is the TypeDefKind without its _KIND
// suffix (STRING, OBJECT, LIST…), Name the object's, enum's, interface's
// or scalar's name, Elem a list's element.
type Type struct {
	Kind     string
	Optional bool
	Name     string
	Elem     *Type
}

// An Enum is a core.EnumTypeDef.
type Enum struct {
	Name        string
	Description string
	Members     []*EnumMember
}

// An EnumMember is a core.EnumMemberTypeDef: Name is the GraphQL name
// the engine gives it, OriginalName the code generator's.
type EnumMember struct {
	Name         string
	OriginalName string
	Value        string
	Description  string
}

// String is the type in GraphQL notation, as the engine installs it
// (core/typedef.go ToTyped: an optional type is nullable).
func (t *Type) String() string {
	var s string
	switch t.Kind {
	case "LIST":
		s = "[" + t.Elem.String() + "]"
	case "STRING":
		s = "String"
	case "INTEGER":
		s = "Int"
	case "FLOAT":
		s = "Float"
	case "BOOLEAN":
		s = "Boolean"
	case "VOID":
		s = "Void"
	default:
		s = t.Name
	}
	if !t.Optional {
		s += "!"
	}
	return s
}

// Golden is the API as reviewers read it: every object with its
// constructor, fields and functions, every argument with its type and
// default, every enum with its members and values, in the order the
// module declares them. Documentation is left out, so that the text
// changes only with the API; the check requires documentation instead.
func (a *API) Golden() string {
	var b strings.Builder
	for _, o := range a.Objects {
		fmt.Fprintf(&b, "type %s {\n", o.Name)
		if o.Constructor != nil {
			fmt.Fprintf(&b, "  constructor%s\n", signature(o.Constructor))
		}
		for _, f := range o.Fields {
			fmt.Fprintf(&b, "  %s: %s\n", f.Name, f.Type)
		}
		for _, f := range o.Functions {
			fmt.Fprintf(&b, "  %s%s: %s%s\n", f.Name, signature(f), f.Return, directives(f))
		}
		b.WriteString("}\n\n")
	}
	for _, e := range a.Enums {
		fmt.Fprintf(&b, "enum %s {\n", e.Name)
		for _, m := range e.Members {
			fmt.Fprintf(&b, "  %s = %s\n", m.Name, strconv.Quote(m.Value))
		}
		b.WriteString("}\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func signature(f *Function) string {
	if len(f.Args) == 0 {
		return "()"
	}
	var b strings.Builder
	b.WriteString("(\n")
	for _, a := range f.Args {
		fmt.Fprintf(&b, "    %s: %s", a.Name, a.Type)
		if a.Default != "" {
			fmt.Fprintf(&b, " = %s", a.Default)
		}
		if a.DefaultPath != "" {
			fmt.Fprintf(&b, " @defaultPath(path: %s)", strconv.Quote(a.DefaultPath))
		}
		if a.DefaultAddress != "" {
			fmt.Fprintf(&b, " @defaultAddress(address: %s)", strconv.Quote(a.DefaultAddress))
		}
		if len(a.Ignore) > 0 {
			quoted := make([]string, len(a.Ignore))
			for i, p := range a.Ignore {
				quoted[i] = strconv.Quote(p)
			}
			fmt.Fprintf(&b, " @ignorePatterns(patterns: [%s])", strings.Join(quoted, ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString("  )")
	return b.String()
}

func directives(f *Function) string {
	var ds []string
	if f.CachePolicy != "" || f.CacheTTL != "" {
		var args []string
		if f.CachePolicy != "" {
			args = append(args, "policy: "+f.CachePolicy)
		}
		if f.CacheTTL != "" {
			args = append(args, "ttl: "+strconv.Quote(f.CacheTTL))
		}
		ds = append(ds, "@cache("+strings.Join(args, ", ")+")")
	}
	if f.Deprecated != nil {
		ds = append(ds, "@deprecated(reason: "+strconv.Quote(*f.Deprecated)+")")
	}
	if len(ds) == 0 {
		return ""
	}
	return " " + strings.Join(ds, " ")
}

// undocumented lists what has no documentation, for dagger call --help
// and dagger functions: objects, functions, arguments and enums.
func (a *API) undocumented() []string {
	var missing []string
	for _, o := range a.Objects {
		if o.Description == "" {
			missing = append(missing, "object "+o.Name)
		}
		fns := o.Functions
		if o.Constructor != nil {
			fns = append([]*Function{o.Constructor}, fns...)
		}
		for _, f := range fns {
			name := o.Name + "." + f.Name
			if f == o.Constructor {
				name = o.Name + "'s constructor"
			}
			if f.Description == "" && f != o.Constructor {
				missing = append(missing, "function "+name)
			}
			for _, arg := range f.Args {
				if arg.Description == "" {
					missing = append(missing, "argument "+arg.Name+" of "+name)
				}
			}
		}
	}
	for _, e := range a.Enums {
		if e.Description == "" {
			missing = append(missing, "enum "+e.Name)
		}
	}
	sort.Strings(missing)
	return missing
}
