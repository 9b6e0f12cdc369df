package nix

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func decodeDrvFile(t *testing.T, name string) map[string]Derivation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	drvs, err := DecodeDerivations(data)
	if err != nil {
		t.Fatalf("DecodeDerivations(%s): %v", name, err)
	}
	return drvs
}

// checkJSONGolden compares got, as indented JSON, with testdata/name, or
// rewrites the file with -update.
func checkJSONGolden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(data)); diff != "" {
		t.Errorf("differs from %s (-want +got):\n%s", file, diff)
	}
}

func TestDecodeDerivationsGolden(t *testing.T) {
	checkJSONGolden(t, "derivation.golden.json", decodeDrvFile(t, "derivation-nix2.8.json"))
}

// TestDecodeDerivationsFormats checks that every format decodes to what the
// real Nix 2.8 output decodes to.
func TestDecodeDerivationsFormats(t *testing.T) {
	want := decodeDrvFile(t, "derivation-nix2.8.json")
	for _, name := range []string{"derivation-nix2.19.json", "derivation-nix2.32.json", "derivation-nix2.35.json"} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(want, decodeDrvFile(t, name)); diff != "" {
				t.Errorf("(-nix2.8 +%s):\n%s", name, diff)
			}
		})
	}
}

const drvA = "/nix/store/" + hashA + "-a.drv"

// TestDecodeDerivationsFixedOutput checks that a fixed-output derivation
// of the version 4 format, which gives no output path, takes it from env.
func TestDecodeDerivationsFixedOutput(t *testing.T) {
	in := `{"version": 4, "derivations": {"` + hashA + `-a.drv": {"name": "source", "system": "x86_64-linux", "version": 4,
		"outputs": {"out": {"method": "flat", "hash": "sha256-MyEwKR7frLkJXyCTAYmhACAemt2h4EszAo04ltEu78o="}},
		"inputs": {"srcs": [], "drvs": {}}, "builder": "builtin:fetchurl", "args": [],
		"env": {"out": "/nix/store/` + hashB + `-source", "urls": "https://example.org/a.tar.gz"}}}}`
	got, err := DecodeDerivations([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Derivation{drvA: {
		Path: drvA, Name: "source", System: "x86_64-linux",
		Outputs:   map[string]string{"out": "/nix/store/" + hashB + "-source"},
		InputDrvs: map[string][]string{}, InputSrcs: []string{},
		Env: map[string]string{"out": "/nix/store/" + hashB + "-source", "urls": "https://example.org/a.tar.gz"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeDerivationsErrors(t *testing.T) {
	drv := func(fields string) string {
		return `{"` + drvA + `": {"name": "a", "system": "x", "outputs": {"out": {"path": "/nix/store/` + hashB + `-a"}}` + fields + `}}`
	}
	tests := []struct{ name, in, want string }{
		{"empty", "", "want a JSON object"},
		{"array", `[]`, "want a JSON object"},
		{"malformed", `{"a": `, "unexpected end"},
		{"unknown envelope version", `{"version": 5, "derivations": {}}`, "unsupported derivation JSON format version 5"},
		{"not a drv", `{"/nix/store/` + hashA + `-a": {"name": "a", "outputs": {"out": {"path": "/nix/store/` + hashB + `-a"}}}}`, "is not a .drv path"},
		{"bad key", `{"/tmp/a.drv": {}}`, "not a store path"},
		{"no outputs", `{"` + drvA + `": {"name": "a", "outputs": {}}}`, "no outputs"},
		{"output without path", `{"` + drvA + `": {"name": "a", "outputs": {"out": {}}}}`, "output out: no path, and no out in env"},
		{"bad output path", `{"` + drvA + `": {"name": "a", "outputs": {"out": {"path": "/tmp/x"}}}}`, "output out"},
		{"bad input source", drv(`, "inputSrcs": ["x"]`), "input source"},
		{"bad input derivation", drv(`, "inputDrvs": {"/nix/store/` + hashB + `-b.drv": 7}`), "want a list of output names"},
		{"env not strings", drv(`, "env": {"a": 1}`), "cannot unmarshal number"},
		{"duplicate", `{"` + drvA + `": ` + strings.TrimSuffix(strings.TrimPrefix(drv(""), `{"`+drvA+`": `), "}") + `, "` + hashA + `-a.drv": ` + strings.TrimSuffix(strings.TrimPrefix(drv(""), `{"`+drvA+`": `), "}") + `}`, "duplicate derivation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drvs, err := DecodeDerivations([]byte(tt.in))
			if err == nil {
				t.Fatalf("DecodeDerivations succeeded with %+v, want error containing %q", drvs, tt.want)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "decoding nix derivation show output: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestDerivationArgs(t *testing.T) {
	if diff := cmp.Diff([]string{"derivation", "show", "--recursive", "--", "/nix/store/x"}, DerivationShowArgs("/nix/store/x")); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"show-derivation", "--recursive", "--", "/nix/store/x"}, ShowDerivationArgs("/nix/store/x")); diff != "" {
		t.Error(diff)
	}
}
