package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testSession(t *testing.T) *session {
	t.Helper()
	schema, err := readSchema("testdata/introspection.json")
	if err != nil {
		t.Fatal(err)
	}
	return &session{schema: schema.Schema}
}

// id evaluates a query that ends in id and returns the handle.
func id(t *testing.T, s *session, query string) string {
	t.Helper()
	data, err := s.evaluate(query, nil)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var v any = data
	for {
		m, ok := v.(map[string]any)
		if !ok || len(m) != 1 {
			t.Fatalf("%s: answered %v", query, data)
		}
		for k, e := range m {
			if k == "id" {
				return e.(string)
			}
			v = e
		}
	}
}

// TestSessionAnswersFromTheSchema checks the stand-in against the real
// schema: chains evaluate to calls, IDs come back as the calls they name,
// and what the engine would refuse is refused.
func TestSessionAnswersFromTheSchema(t *testing.T) {
	s := testSession(t)
	str := id(t, s, `query{typeDef{withKind(kind:STRING_KIND){withOptional(optional:true){id}}}}`)
	fn := id(t, s, `query{function(name:"Sets",returnType:"`+str+`"){withDescription(description:"Lists the sets."){id}}}`)
	c, err := s.scalar("FunctionID", fn)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, step := range chain(c.(*call)) {
		fields = append(fields, step.typ+"."+step.field)
	}
	if diff := cmp.Diff([]string{"Function.function", "Function.withDescription"}, fields); diff != "" {
		t.Errorf("the function's calls (-want +got):\n%s", diff)
	}

	for _, tc := range []struct{ query, want string }{
		{`query{typeDef{withKnd(kind:STRING_KIND){id}}}`, `TypeDef has no field "withKnd"`},
		{`query{typeDef{withKind(kind:STRING_KIND,extra:1){id}}}`, `has no argument "extra"`},
		{`query{typeDef{withKind(kind:TEXT_KIND){id}}}`, `TypeDefKind has no value TEXT_KIND`},
		{`query{function(name:"f"){id}}`, `needs its argument "returnType"`},
		{`query{function(name:"f",returnType:"` + fn + `"){id}}`, `the ID of a Function given as a TypeDefID`},
		{`query{function(name:"f",returnType:"made-up"){id}}`, `is not an ID this session gave`},
		{`query{typeDef{kind}}`, `answers only id and object fields`},
	} {
		if _, err := s.evaluate(tc.query, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.query, err, tc.want)
		}
	}
}
