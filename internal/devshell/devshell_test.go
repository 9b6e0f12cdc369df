package devshell

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/sets"
)

func TestRequest(t *testing.T) {
	catalog, err := sets.Builtin().With(sets.Set{Name: "data", Attrs: []string{"jq", "duckdb"}, Source: "nixlayer.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	sel, err := catalog.Compose("python,base", []sets.Attr{{Path: "htop", Origin: "--packages"}})
	if err != nil {
		t.Fatal(err)
	}
	req := Request(flake.Request{System: "x86_64-linux", Attrs: sel.Attrs, Sets: sel.Sets}, catalog)
	if len(req.Shells) != len(catalog.Sets())+1 {
		t.Errorf("%d shells for %d sets", len(req.Shells), len(catalog.Sets()))
	}
	for _, s := range catalog.Sets() {
		if diff := cmp.Diff(s.Attrs, req.Shells[s.Name]); diff != "" {
			t.Errorf("shell %s (-want +got):\n%s", s.Name, diff)
		}
	}
	want := []string{"bashInteractive", "coreutils", "findutils", "gnugrep", "gnused", "cacert", "tzdata", "python312", "htop"}
	if diff := cmp.Diff(want, req.Shells[Default]); diff != "" {
		t.Errorf("the default shell (-want +got):\n%s", diff)
	}
	l, err := flake.NewLayout(req)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := flake.NewLayout(req); string(again.RequestJSON) != string(l.RequestJSON) {
		t.Error("the same request gives two request.json")
	}
}

func TestEnvrc(t *testing.T) {
	want := `# Written by nixlayer envrc --sets base,python --packages htop,jq: the dev shell of these
# sets, with the store paths of nixlayer's images of them, from the nixpkgs
# that .nixlayer/flake.lock pins. Run it again after changing the sets or
# nixlayer.yaml; nix develop path:./.nixlayer opens the same shell.
watch_file .nixlayer/request.json .nixlayer/flake.lock
use flake path:./.nixlayer#default
`
	if diff := cmp.Diff(want, string(Envrc([]string{"base", "python"}, []string{"htop", "jq"}))); diff != "" {
		t.Errorf(".envrc (-want +got):\n%s", diff)
	}
}
