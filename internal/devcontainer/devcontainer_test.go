package devcontainer

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nixlayer/nixlayer/internal/sets"
)

// validate checks data against the schema of what nixlayer writes.
func validate(t *testing.T, data []byte) error {
	t.Helper()
	raw, err := os.ReadFile("testdata/devcontainer.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("devcontainer.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("devcontainer.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestFile writes the devcontainer.json of every built-in set and checks
// it against the schema, and that the label carries the same
// customizations.
func TestFile(t *testing.T) {
	for _, s := range sets.Builtin().Sets() {
		sel, err := sets.Builtin().Compose("base,"+s.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := Customizations(sel.Extensions, sel.Settings)
		data, err := File("ghcr.io/acme/app/devcontainer:1", "vscode", c)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, data); err != nil {
			t.Errorf("set %s: %v\n%s", s.Name, err, data)
		}
		label, err := Label(Metadata{RemoteUser: "vscode", Customizations: c, OnCreateCommand: []string{"/x"}})
		if err != nil {
			t.Fatal(err)
		}
		var file map[string]any
		var entries []map[string]any
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(label), &entries); err != nil || len(entries) != 1 {
			t.Fatalf("label %s: %v", label, err)
		}
		if diff := cmp.Diff(file["customizations"], entries[0]["customizations"]); diff != "" {
			t.Errorf("set %s: the file's and the label's customizations differ (-file +label):\n%s", s.Name, diff)
		}
	}
}

// TestSchemaRejects checks that the schema catches what a mistake would
// write, so that TestFile's validation means something.
func TestSchemaRejects(t *testing.T) {
	for _, doc := range []string{
		`{"remoteUser": "vscode"}`,
		`{"image": "x", "updateRemoteUserUID": "yes"}`,
		`{"image": "x", "customizations": {"vscode": {"extensions": ["not an id"]}}}`,
		`{"image": "x", "remoteuser": "vscode"}`,
	} {
		if err := validate(t, []byte(doc)); err == nil {
			t.Errorf("%s validates", doc)
		}
	}
}

func TestCustomizations(t *testing.T) {
	if c := Customizations(nil, nil); c != nil {
		t.Errorf("no extensions or settings: %v, want nil", c)
	}
	data, err := File("img", "vscode", nil)
	if err != nil || string(data) != "{\n  \"image\": \"img\",\n  \"remoteUser\": \"vscode\",\n  \"updateRemoteUserUID\": true\n}\n" {
		t.Errorf("File without customizations: %q, %v", data, err)
	}
}
