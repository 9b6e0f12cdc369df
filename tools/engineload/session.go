package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/dagger/dagger/cmd/codegen/introspection"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// A session is a stand-in for the engine's session API, the GraphQL
// endpoint that Dagger's code generator reaches through
// DAGGER_SESSION_PORT and DAGGER_SESSION_TOKEN (dagger.io/dagger
// engineconn/env.go: http://127.0.0.1:PORT/query, basic auth with the
// token as user name).
//
// It answers from the real schema: every field, argument and type of a
// query is looked up in the introspection JSON the engine gives module
// code generation, so a query the real API would refuse is refused here.
// The engine evaluates each chained selection to an object, as dagql does
// (core/schema/module.go typeDef, function, module, sourceMap and their
// with* fields); the session records each such object as a call on its
// parent and answers its id with a handle of its own. Real IDs are opaque
// encoded call chains, and the client never looks inside them, so a handle
// serves as well; the calls themselves are replayed afterwards with the
// engine's own rules (replay.go). Only id is answered among the leaf
// fields: the code generator asks for nothing else, and a query for more
// fails loudly rather than being answered wrongly.
type session struct {
	schema *introspection.Schema
	token  string

	mu      sync.Mutex
	calls   []*call
	queries []string
	srv     *http.Server
	ln      net.Listener
}

// A call is one selection the session evaluated: a field of its parent
// (nil for Query) with the arguments given.
type call struct {
	typ    string // the object type the field returns
	parent *call
	field  string
	args   map[string]value
}

// A value is an argument value: string, int64, float64, bool, enum
// (enumName), a list ([]value), an input object (map[string]value), an ID
// resolved to the call it names (*call), or nil.
type value any

// An enumName is an enum value given as an argument.
type enumName string

const handlePrefix = "nixlayer-engineload:"

// newSession serves the schema on 127.0.0.1 at a free port.
func newSession(schema *introspection.Schema, token string) (*session, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the code generator's session: %w", err)
	}
	s := &session{schema: schema, token: token, ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("/query", s.serveQuery)
	s.srv = &http.Server{Handler: mux}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// port is the port the session listens on, for DAGGER_SESSION_PORT.
func (s *session) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *session) close() error { return s.srv.Close() }

// gqlRequest and gqlResponse are GraphQL over HTTP, as genqlient (which
// dagger.io/dagger uses) sends and reads them.
type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

type gqlError struct {
	Message string `json:"message"`
}

func (s *session) serveQuery(w http.ResponseWriter, r *http.Request) {
	if user, _, ok := r.BasicAuth(); !ok || user != s.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var req gqlRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	data, err := s.evaluate(req.Query, req.Variables)
	if err != nil {
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []gqlError{{Message: err.Error()}}})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
}

// evaluate runs one query document and returns its data.
func (s *session) evaluate(query string, vars map[string]any) (map[string]any, error) {
	doc, gqlErr := parser.ParseQuery(&ast.Source{Input: query})
	if gqlErr != nil {
		return nil, fmt.Errorf("parsing the query: %w", gqlErr)
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		return nil, errors.New("the stand-in session answers one query operation per request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, query)
	return s.selectFields(nil, s.schema.QueryType.Name, doc.Operations[0].SelectionSet, vars)
}

// selectFields evaluates a selection set on an object of type typ.
func (s *session) selectFields(parent *call, typ string, set ast.SelectionSet, vars map[string]any) (map[string]any, error) {
	t := s.schema.Types.Get(typ)
	if t == nil {
		return nil, fmt.Errorf("type %q is not in the schema", typ)
	}
	out := map[string]any{}
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			return nil, fmt.Errorf("the stand-in session does not answer fragments (in %s)", typ)
		}
		def := fieldDef(t, f.Name)
		if def == nil {
			return nil, fmt.Errorf("%s has no field %q", typ, f.Name)
		}
		args, err := s.arguments(typ, def, f.Arguments, vars)
		if err != nil {
			return nil, err
		}
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		ret := namedType(def.TypeRef)
		rt := s.schema.Types.Get(ret)
		switch {
		case rt != nil && rt.Kind == introspection.TypeKindObject && !isList(def.TypeRef):
			c := &call{typ: ret, parent: parent, field: f.Name, args: args}
			s.calls = append(s.calls, c)
			sub, err := s.selectFields(c, ret, f.SelectionSet, vars)
			if err != nil {
				return nil, err
			}
			out[key] = sub
		case f.Name == "id" && parent != nil:
			out[key] = handlePrefix + strconv.Itoa(s.index(parent))
		default:
			return nil, fmt.Errorf("the stand-in session answers only id and object fields, not %s.%s", typ, f.Name)
		}
	}
	return out, nil
}

// arguments checks a field's arguments against the schema and evaluates
// them; an argument the schema lacks, or a required one left out, is an
// error, as in the engine.
func (s *session) arguments(typ string, def *introspection.Field, given ast.ArgumentList, vars map[string]any) (map[string]value, error) {
	args := map[string]value{}
	for _, a := range given {
		spec := inputDef(def.Args, a.Name)
		if spec == nil {
			return nil, fmt.Errorf("%s.%s has no argument %q", typ, def.Name, a.Name)
		}
		v, err := s.literal(a.Value, spec.TypeRef, vars)
		if err != nil {
			return nil, fmt.Errorf("%s.%s(%s:): %w", typ, def.Name, a.Name, err)
		}
		args[a.Name] = v
	}
	for _, spec := range def.Args {
		if _, ok := args[spec.Name]; !ok && spec.TypeRef.Kind == introspection.TypeKindNonNull && spec.DefaultValue == nil {
			return nil, fmt.Errorf("%s.%s needs its argument %q", typ, def.Name, spec.Name)
		}
	}
	return args, nil
}

// literal evaluates an argument's value against its type.
func (s *session) literal(v *ast.Value, ref *introspection.TypeRef, vars map[string]any) (value, error) {
	if v.Kind == ast.Variable {
		return s.variable(vars[v.Raw], ref)
	}
	if ref.Kind == introspection.TypeKindNonNull {
		if v.Kind == ast.NullValue {
			return nil, errors.New("null for a non-null argument")
		}
		ref = ref.OfType
	}
	switch v.Kind {
	case ast.NullValue:
		return nil, nil
	case ast.ListValue:
		if ref.Kind != introspection.TypeKindList {
			return nil, fmt.Errorf("a list for %s", ref.Name)
		}
		var list []value
		for _, c := range v.Children {
			e, err := s.literal(c.Value, ref.OfType, vars)
			if err != nil {
				return nil, err
			}
			list = append(list, e)
		}
		return list, nil
	case ast.EnumValue:
		if err := s.checkEnum(ref.Name, v.Raw); err != nil {
			return nil, err
		}
		return enumName(v.Raw), nil
	case ast.IntValue:
		return strconv.ParseInt(v.Raw, 10, 64)
	case ast.FloatValue:
		return strconv.ParseFloat(v.Raw, 64)
	case ast.BooleanValue:
		return v.Raw == "true", nil
	case ast.StringValue, ast.BlockValue:
		return s.scalar(ref.Name, v.Raw)
	case ast.ObjectValue:
		obj := map[string]value{}
		for _, c := range v.Children {
			e, err := s.literal(c.Value, &introspection.TypeRef{Kind: introspection.TypeKindScalar, Name: "JSON"}, vars)
			if err != nil {
				return nil, err
			}
			obj[c.Name] = e
		}
		return obj, nil
	}
	return nil, fmt.Errorf("a value of kind %d is not understood", v.Kind)
}

// variable evaluates a JSON variable against its type.
func (s *session) variable(v any, ref *introspection.TypeRef) (value, error) {
	if ref.Kind == introspection.TypeKindNonNull {
		ref = ref.OfType
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return s.scalar(ref.Name, x)
	case []any:
		var list []value
		for _, e := range x {
			ev, err := s.variable(e, ref.OfType)
			if err != nil {
				return nil, err
			}
			list = append(list, ev)
		}
		return list, nil
	}
	return v, nil
}

// scalar evaluates a string: an ID names a call of the session, of the
// type the ID scalar is named after.
func (s *session) scalar(typ, raw string) (value, error) {
	obj, isID := strings.CutSuffix(typ, "ID")
	if !isID || s.schema.Types.Get(obj) == nil {
		return raw, nil
	}
	n, ok := strings.CutPrefix(raw, handlePrefix)
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(s.calls) {
		return nil, fmt.Errorf("%q is not an ID this session gave", raw)
	}
	if c := s.calls[i]; c.typ != obj {
		return nil, fmt.Errorf("the ID of a %s given as a %s", c.typ, typ)
	}
	return s.calls[i], nil
}

func (s *session) checkEnum(typ, name string) error {
	t := s.schema.Types.Get(typ)
	if t == nil || t.Kind != introspection.TypeKindEnum {
		return fmt.Errorf("%s is not an enum", typ)
	}
	for _, v := range t.EnumValues {
		if v.Name == name {
			return nil
		}
	}
	return fmt.Errorf("%s has no value %s", typ, name)
}

// index is the handle of a call.
func (s *session) index(c *call) int {
	for i, o := range s.calls {
		if o == c {
			return i
		}
	}
	panic("engineload: a call the session did not record")
}

// resolve returns the call an ID handle names.
func (s *session) resolve(id string) (*call, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.scalar("ModuleID", id)
	if err != nil {
		return nil, err
	}
	return v.(*call), nil
}

func fieldDef(t *introspection.Type, name string) *introspection.Field {
	for _, f := range t.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func inputDef(args introspection.InputValues, name string) *introspection.InputValue {
	for i := range args {
		if args[i].Name == name {
			return &args[i]
		}
	}
	return nil
}

func namedType(ref *introspection.TypeRef) string {
	for ref.OfType != nil {
		ref = ref.OfType
	}
	return ref.Name
}

func isList(ref *introspection.TypeRef) bool {
	for ; ref != nil; ref = ref.OfType {
		if ref.Kind == introspection.TypeKindList {
			return true
		}
	}
	return false
}
