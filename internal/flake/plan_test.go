package flake

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

var update = flag.Bool("update", false, "rewrite golden files")

func testRequest() Request {
	return Request{
		System: "x86_64-linux",
		Sets:   []string{"base"},
		Attrs: []sets.Attr{
			{Path: "bashInteractive", Origin: "base"},
			{Path: "ripgrep", Origin: "--packages"},
		},
		Overlays: []string{"/home/me/project/nix/cve.nix", "/home/me/project/extra/licences.nix"},
	}
}

func TestNewLayout(t *testing.T) {
	l, err := NewLayout(testRequest())
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{
  "attrs": [
    "bashInteractive",
    "ripgrep"
  ],
  "overlays": [
    "project/0/cve.nix",
    "project/1/licences.nix"
  ],
  "epoch": 1
}
`
	if diff := cmp.Diff(wantJSON, string(l.RequestJSON)); diff != "" {
		t.Errorf("request.json (-want +got):\n%s", diff)
	}
	wantDirs := []OverlayDir{{Src: "/home/me/project/nix", Dst: "project/0"}, {Src: "/home/me/project/extra", Dst: "project/1"}}
	if diff := cmp.Diff(wantDirs, l.Overlays); diff != "" {
		t.Errorf("overlay dirs (-want +got):\n%s", diff)
	}

	shells := testRequest()
	shells.Shells = map[string][]string{"default": {"bashInteractive", "ripgrep"}, "base": {"bashInteractive"}}
	l, err = NewLayout(shells)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(l.RequestJSON), `"shells": {
    "base": [
      "bashInteractive"
    ],
    "default": [
      "bashInteractive",
      "ripgrep"
    ]
  }
}
`) {
		t.Errorf("request.json with shells:\n%s", l.RequestJSON)
	}

	for name, req := range map[string]Request{
		"no attributes":       {System: "x86_64-linux"},
		"bad attribute":       {Attrs: []sets.Attr{{Path: "a;b", Origin: "x"}}},
		"nix code attack":     {Attrs: []sets.Attr{{Path: `x"; builtins.exec`, Origin: "x"}}},
		"bad shell name":      {Attrs: testRequest().Attrs, Shells: map[string][]string{"a.b": {"jq"}}},
		"bad shell attribute": {Attrs: testRequest().Attrs, Shells: map[string][]string{"a": {"j q"}}},
	} {
		if _, err := NewLayout(req); err == nil {
			t.Errorf("%s: NewLayout accepted %v", name, req.Attrs)
		}
	}
}

// TestDecodePlan decodes testdata/plan.json, the output of plan.nix for
// testRequest in the test universe, into the golden testdata/plan.golden.json.
func TestDecodePlan(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := DecodePlan(data, testRequest())
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(plan, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "plan.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("decoded plan (-want +got):\n%s", diff)
	}
}

func TestDecodePlanErrors(t *testing.T) {
	req := testRequest()
	tests := []struct {
		name, data, want string
	}{
		{"missing", `{"missing": ["ripgrep"], "notPackages": [], "packages": []}`,
			`nixpkgs has no attribute "ripgrep" (from --packages)`},
		{"not a package", `{"missing": [], "notPackages": ["bashInteractive"], "packages": []}`,
			`not a package: "bashInteractive" (from set "base")`},
		{"count", `{"missing": [], "notPackages": [], "packages": []}`,
			`decoding the plan: 0 packages for 2 attributes`},
		{"order", `{"missing": [], "notPackages": [], "packages": [{"attr": "ripgrep", "out": "/nix/store/x"}, {"attr": "bashInteractive", "out": "/nix/store/y"}]}`,
			`decoding the plan: package 0 is "ripgrep", want "bashInteractive"`},
		{"syntax", `{"missing": [`, `decoding the plan: unexpected end of JSON input`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodePlan([]byte(tt.data), req)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
		})
	}
	_, err := DecodePlan([]byte(tests[0].data), req)
	if !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("a missing attribute does not match usererr.ErrBadInput: %v", err)
	}
}

// TestDecodeLenientPlan decodes a lenient plan: the packages that
// evaluate, in request order with their origins, and the others listed.
func TestDecodeLenientPlan(t *testing.T) {
	req := Request{System: "x86_64-linux", Sets: []string{"base"}, Lenient: true, Attrs: []sets.Attr{
		{Path: "bashInteractive", Origin: "base"}, {Path: "bats", Origin: "bash"}, {Path: "lib", Origin: "--packages"},
		{Path: "fd", Origin: "--packages"}, {Path: "ripgrep", Origin: "devTools"},
	}}
	data := `{"missing": ["bats"], "notPackages": ["lib"], "failing": ["fd"], "packages": [
		{"attr": "bashInteractive", "name": "bash-5.2.15", "out": "/nix/store/b-bash", "version": "5.2.15", "patches": []},
		{"attr": "ripgrep", "name": "ripgrep-14.1.1", "out": "/nix/store/r-ripgrep", "version": "14.1.1", "patches": []}]}`
	plan, err := DecodePlan([]byte(data), req)
	if err != nil {
		t.Fatal(err)
	}
	want := &Plan{System: "x86_64-linux", Missing: []string{"bats"}, NotPackages: []string{"lib"}, Failing: []string{"fd"}, Packages: []Package{
		{Attr: "bashInteractive", Origin: "base", Name: "bash-5.2.15", OutPath: "/nix/store/b-bash", Version: "5.2.15", Patches: []Patch{}},
		{Attr: "ripgrep", Origin: "devTools", Name: "ripgrep-14.1.1", OutPath: "/nix/store/r-ripgrep", Version: "14.1.1", Patches: []Patch{}},
	}}
	if diff := cmp.Diff(want, plan); diff != "" {
		t.Errorf("lenient plan (-want +got):\n%s", diff)
	}
	// The packages must still be the others, in order.
	wrong := `{"missing": ["bats"], "notPackages": [], "failing": [], "packages": [{"attr": "bashInteractive", "out": "/nix/store/b"}]}`
	if _, err := DecodePlan([]byte(wrong), req); err == nil || err.Error() != "decoding the plan: 1 packages for 4 attributes" {
		t.Errorf("a lenient plan short of packages: %v", err)
	}
	// request.json says so; a request that is not lenient leaves it out (TestNewLayout).
	l, err := NewLayout(req)
	if err != nil || !strings.Contains(string(l.RequestJSON), `"lenient": true`) {
		t.Errorf("request.json of a lenient request: %s (%v)", l.RequestJSON, err)
	}
}

func TestBuiltRoots(t *testing.T) {
	plan := &Plan{System: "x86_64-linux", Packages: []Package{
		{Attr: "bashInteractive", OutPath: "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bash-5.2"},
		{Attr: "bash", OutPath: "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bash-5.2"},
		{Attr: "stdenv.cc.cc.lib", OutPath: "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gcc-12-lib"},
	}}
	results := []nix.BuildResult{
		{Outputs: map[string]string{"out": "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bash-5.2"}},
		{Outputs: map[string]string{"lib": "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gcc-12-lib"}},
	}
	roots, err := BuiltRoots(plan, results)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gcc-12-lib", "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bash-5.2"}
	if diff := cmp.Diff(want, roots); diff != "" {
		t.Errorf("roots (-want +got):\n%s", diff)
	}
	if _, err := BuiltRoots(plan, results[:1]); err == nil || err.Error() != "building stdenv.cc.cc.lib: nix did not build /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gcc-12-lib" {
		t.Errorf("error = %v", err)
	}

	installables := BuildInstallables("path:/w", plan)
	wantInst := []string{"path:/w#legacyPackages.x86_64-linux.bashInteractive", "path:/w#legacyPackages.x86_64-linux.bash", "path:/w#legacyPackages.x86_64-linux.stdenv.cc.cc.lib"}
	if diff := cmp.Diff(wantInst, installables); diff != "" {
		t.Errorf("installables (-want +got):\n%s", diff)
	}
}
