package selection

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestSelect(t *testing.T) {
	project, err := sets.ParseProject("nixlayer.yaml", []byte(`
sets:
  dataTools:
    description: Tools the data team uses.
    attrs: [jq, duckdb]
packages: [htop]
overlays: [nix/cve.nix]
`))
	if err != nil {
		t.Fatal(err)
	}
	project.Overlays[0].Path = "/src/project/nix/cve.nix" // as LoadProject resolves it

	sel, req, err := Select("dataTools,base", []string{"ripgrep", "jq"}, project, "x86_64-linux")
	if err != nil {
		t.Fatal(err)
	}
	want := flake.Request{
		System: "x86_64-linux",
		Sets:   []string{"base", "dataTools"},
		Attrs: []sets.Attr{
			{Path: "bashInteractive", Origin: "base"}, {Path: "coreutils", Origin: "base"},
			{Path: "findutils", Origin: "base"}, {Path: "gnugrep", Origin: "base"},
			{Path: "gnused", Origin: "base"}, {Path: "cacert", Origin: "base"},
			{Path: "tzdata", Origin: "base"},
			{Path: "jq", Origin: "dataTools"}, {Path: "duckdb", Origin: "dataTools"},
			{Path: "htop", Origin: "nixlayer.yaml packages"},
			{Path: "ripgrep", Origin: PackagesOrigin},
		},
		Overlays: []string{"/src/project/nix/cve.nix"},
	}
	if diff := cmp.Diff(want, req); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Sets, sel.Sets); diff != "" {
		t.Errorf("selected sets (-want +got):\n%s", diff)
	}

	if _, _, err := Select("dataTools", nil, nil, "x86_64-linux"); !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("a project set without the project: error %v, want bad input", err)
	}
	if _, _, err := Select("base", []string{"not valid"}, nil, "x86_64-linux"); !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("an invalid --packages attribute: error %v, want bad input", err)
	}
}
