package main

import (
	"strings"
	"testing"
)

// module builds a module through the session as the code generator
// does, with an enum of the given members (name=value) and one function
// that takes the enum, and replays it.
func module(t *testing.T, members []string, argDoc string) (*API, error) {
	t.Helper()
	s := testSession(t)
	enum := `typeDef{withEnum(name:"Kind",description:"A kind."){`
	closing := "}"
	for _, m := range members {
		name, value, _ := strings.Cut(m, "=")
		enum += `withEnumMember(name:"` + name + `",value:"` + value + `"){`
		closing += "}"
	}
	enumID := id(t, s, "query{"+enum+"id"+closing+"}}")
	ret := id(t, s, `query{typeDef{withKind(kind:STRING_KIND){id}}}`)
	fn := id(t, s, `query{function(name:"Describe",returnType:"`+ret+`"){withDescription(description:"Describes a kind."){withArg(name:"kind",typeDef:"`+enumID+`",description:"`+argDoc+`"){id}}}}`)
	obj := id(t, s, `query{typeDef{withObject(name:"Fixture",description:"A fixture."){withFunction(function:"`+fn+`"){id}}}}`)
	mod := id(t, s, `query{module{withObject(object:"`+obj+`"){withEnum(enum:"`+enumID+`"){id}}}}`)
	c, err := s.resolve(mod)
	if err != nil {
		t.Fatal(err)
	}
	return (&replay{core: coreTypes(s.schema)}).module(c)
}

// TestReplayAppliesTheEngineRules checks the rules a real engine applies
// when it loads a module, among them the one every call of the module
// failed on: two enum members whose constants the code generator could not
// evaluate.
func TestReplayAppliesTheEngineRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		members []string
		argDoc  string
		want    string
	}{
		{"values from internal/", []string{"DEVCONTAINER=unknown", "RUNTIME=unknown"}, "The kind.", `enum "DEVCONTAINER" is already defined with value "unknown"`},
		{"one value from internal/", []string{"DEVCONTAINER=unknown"}, "The kind.", `member DEVCONTAINER has the value "unknown"`},
		{"the same name twice", []string{"A=a", "A=b"}, "The kind.", `enum "A" is already defined`},
		{"not a GraphQL name", []string{"A-B=a"}, "The kind.", `enum name "A-B" is not valid`},
		{"an argument without documentation", []string{"A=a"}, "", "no documentation for argument kind of Fixture.describe"},
		{"literals", []string{"DEVCONTAINER=devcontainer", "RUNTIME=runtime"}, "The kind.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api, err := module(t, tc.members, tc.argDoc)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("the module is refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			case tc.want == "":
				want := "type Fixture {\n  describe(\n    kind: Kind!\n  ): String!\n}\n\nenum Kind {\n  DEVCONTAINER = \"devcontainer\"\n  RUNTIME = \"runtime\"\n}\n"
				if got := api.Golden(); got != want {
					t.Errorf("the API:\n%s\nwant:\n%s", got, want)
				}
			}
		})
	}
}

// TestReplayRefusesUnknownTypes checks that a type neither core's nor the
// module's fails the load, as the engine's ModTypeFor does.
func TestReplayRefusesUnknownTypes(t *testing.T) {
	s := testSession(t)
	ret := id(t, s, `query{typeDef{withObject(name:"Containr"){id}}}`)
	fn := id(t, s, `query{function(name:"Image",returnType:"`+ret+`"){withDescription(description:"An image."){id}}}`)
	obj := id(t, s, `query{typeDef{withObject(name:"Fixture",description:"A fixture."){withFunction(function:"`+fn+`"){id}}}}`)
	mod := id(t, s, `query{module{withObject(object:"`+obj+`"){id}}}`)
	c, err := s.resolve(mod)
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&replay{core: coreTypes(s.schema)}).module(c)
	if err == nil || !strings.Contains(err.Error(), "Containr, which is neither the core API's nor the module's") {
		t.Fatalf("got %v", err)
	}
}
