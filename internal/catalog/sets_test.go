package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/sets"
)

func TestSets(t *testing.T) {
	c, err := sets.Builtin().With(sets.Set{Name: "data", Description: "Data tools.", Attrs: []string{"jq", "duckdb"}})
	if err != nil {
		t.Fatal(err)
	}
	got := Sets(c, []sets.Attr{{Path: "htop", Origin: "nixlayer.yaml packages"}, {Path: "curl", Origin: "nixlayer.yaml packages"}})
	var want []layers.Set
	for _, s := range sets.Builtin().Sets() {
		want = append(want, layers.Set{Name: s.Name, Attrs: s.Attrs})
	}
	want = append(want,
		layers.Set{Name: "data", Attrs: []string{"jq", "duckdb"}},
		layers.Set{Name: "(devcontainer)", Attrs: kind.Devcontainer.Required()},
		layers.Set{Name: "(packages)", Attrs: []string{"htop", "curl"}})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sets (-want +got):\n%s", diff)
	}
	if got := Sets(sets.Builtin(), nil); len(got) != len(sets.Builtin().Sets())+1 {
		t.Errorf("%d sets without a project, want the built-in ones and the devcontainer's", len(got))
	}
}
