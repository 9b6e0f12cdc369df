package layers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
)

func TestCatalogJSON(t *testing.T) {
	c := docCatalog(t)
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "catalog.golden.json", append(data, '\n'))

	var back Catalog
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.MarshalIndent(back, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(data), string(again)); diff != "" {
		t.Errorf("decoding and encoding again changed the JSON (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(c.Roots, back.Roots); diff != "" {
		t.Errorf("roots (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.Graph.TopoSort(), back.Graph.TopoSort()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

// TestCatalogJSONNormalises checks that the encoding does not depend on the
// order of references or on duplicates, and that a zero Catalog encodes to
// empty collections.
func TestCatalogJSONNormalises(t *testing.T) {
	messy := Catalog{
		Roots: roots("a", "a"),
		Graph: closure(t, []nix.PathInfo{
			{Path: sp("a"), NarHash: "sha256-a", NarSize: 1, References: sps("c", "a", "b", "c")},
			{Path: sp("b"), NarHash: "sha256-b", NarSize: 1},
			{Path: sp("c"), NarHash: "sha256-c", NarSize: 1, References: []string{}},
		}),
	}
	tidy := Catalog{
		Roots: roots("a", "a"),
		Graph: closure(t, []nix.PathInfo{pi("c", 1), pi("b", 1), pi("a", 1, "a", "b", "c")}),
	}
	tests := []struct {
		name string
		c    Catalog
		want string
	}{
		{"zero", Catalog{}, `{"roots":{},"paths":[]}`},
		{"messy", messy, mustMarshal(t, tidy)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustMarshal(t, tt.c); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestCatalogJSONErrors(t *testing.T) {
	a, b := sp("a"), sp("b")
	tests := []struct{ name, in, want string }{
		{"not JSON", `{`, "unexpected end of JSON input"},
		{"wrong type", `{"roots":[]}`, "cannot unmarshal array"},
		{"incomplete closure", `{"roots":{"a":"` + a + `"},"paths":[{"path":"` + a + `","narSize":1,"references":["` + b + `"]}]}`, "incomplete closure"},
		{"root outside the paths", `{"roots":{"a":"` + a + `","b":"` + b + `"},"paths":[{"path":"` + a + `","narSize":1,"references":[]}]}`,
			`catalog attribute "b": out path "` + b + `" is not in the closure graph`},
		{"path outside every closure", `{"roots":{},"paths":[{"path":"` + a + `","narSize":1,"references":[]}]}`,
			"catalog closure graph has " + a + ", which is in the closure of no attribute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Catalog
			err := c.UnmarshalJSON([]byte(tt.in)) // json.Unmarshal would catch syntax errors itself
			if err == nil || !strings.Contains(err.Error(), "decoding catalog: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q and %q", err, "decoding catalog: ", tt.want)
			}
			if c.Graph != nil || c.Roots != nil {
				t.Errorf("a failed decoding changed the catalog to %+v", c)
			}
		})
	}
}
