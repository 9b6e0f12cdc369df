package nix

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with the JSON in testdata/name, or rewrites the
// file with -update.
func checkGolden(t *testing.T, name string, got []PathInfo) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want []PathInfo
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded path info differs from %s (-want +got):\n%s", file, diff)
	}
}

func decodeFile(t *testing.T, name string) []PathInfo {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	infos, err := DecodePathInfo(data)
	if err != nil {
		t.Fatalf("DecodePathInfo(%s): %v", name, err)
	}
	return infos
}

func TestDecodePathInfoGolden(t *testing.T) {
	checkGolden(t, "pathinfo.golden.json", decodeFile(t, "pathinfo-nix2.8.json"))
	checkGolden(t, "pathinfo-drv.golden.json", decodeFile(t, "pathinfo-nix2.8-drv.json"))
}

// TestDecodePathInfoFormats checks that every format decodes to what the
// real Nix 2.8 output decodes to.
func TestDecodePathInfoFormats(t *testing.T) {
	want := decodeFile(t, "pathinfo-nix2.8.json")
	for _, name := range []string{
		"pathinfo-nix2.3.json",
		"pathinfo-nix2.19.json",
		"pathinfo-nix2.33-v1.json",
		"pathinfo-nix2.33-v2.json",
		"pathinfo-nix2.35-v3.json",
		"pathinfo-nix2.33pre-hashobject.json",
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(want, decodeFile(t, name)); diff != "" {
				t.Errorf("(-nix2.8 +%s):\n%s", name, diff)
			}
		})
	}
}

const (
	hashA = "hadd2kwvaik7qmb77gf5f0anf4yzi7xs"
	hashB = "290rncx3gjw0mz8q66xqigk3f018iasd"
	sri   = "sha256-MyEwKR7frLkJXyCTAYmhACAemt2h4EszAo04ltEu78o="
)

func TestDecodePathInfoNormalises(t *testing.T) {
	in := `{"/nix/store/` + hashB + `-b": {"narHash": "` + sri + `", "narSize": 1,
		"references": ["/nix/store/` + hashB + `-b", "/nix/store/` + hashA + `-a", "/nix/store/` + hashA + `-a"],
		"deriver": null},
		"/nix/store/` + hashA + `-a": {"narHash": "` + sri + `", "narSize": 0, "references": null}}`
	got, err := DecodePathInfo([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []PathInfo{
		{Path: "/nix/store/" + hashB + "-b", NarHash: sri, NarSize: 1, References: []string{
			"/nix/store/" + hashB + "-b", "/nix/store/" + hashA + "-a"}},
		{Path: "/nix/store/" + hashA + "-a", NarHash: sri, References: []string{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodePathInfoOtherStoreDir(t *testing.T) {
	in := `[{"path": "/gnu/store/` + hashA + `-a", "narHash": "` + sri + `", "narSize": 1,
		"references": ["/gnu/store/` + hashA + `-a"]}]`
	got, err := DecodePathInfo([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Path != "/gnu/store/"+hashA+"-a" {
		t.Errorf("Path = %q", got[0].Path)
	}
}

func TestDecodePathInfoErrors(t *testing.T) {
	obj := `{"path": "/nix/store/` + hashA + `-a", "narHash": "` + sri + `", "narSize": 1, "references": []`
	entry := func(fields string) string { return "[" + obj + fields + "}]" }
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty output"},
		{"malformed", `[{"path": `, "unexpected end"},
		{"trailing garbage", entry("") + "x", "invalid character"},
		{"not array or object", `"hello"`, "want a JSON array or object"},
		{"null entry in array", `[null]`, "entry 0: entry is null"},
		{"missing path", `[{"narHash": "` + sri + `", "narSize": 1}]`, `missing "path"`},
		{"relative path", `[{"path": "nix/store/` + hashA + `-a", "narHash": "` + sri + `", "narSize": 1}]`, "not a store path"},
		{"path inside store path", `[{"path": "/nix/store/` + hashA + `-a/bin/sh", "narHash": "` + sri + `", "narSize": 1}]`, "not a store path"},
		{"bad hash part", `[{"path": "/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-a", "narHash": "` + sri + `", "narSize": 1}]`, "hash part"},
		{"bad name", `[{"path": "/nix/store/` + hashA + `-a b", "narHash": "` + sri + `", "narSize": 1}]`, "invalid character"},
		{"missing narHash", `[{"path": "/nix/store/` + hashA + `-a", "narSize": 1}]`, `missing "narHash"`},
		{"bad narHash", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "sha256-xyz", "narSize": 1}]`, "invalid SRI hash"},
		{"bad base32 narHash", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "sha256:` + strings.Repeat("e", 52) + `", "narSize": 1}]`, "not in the Nix base-32 alphabet"},
		{"unknown algorithm", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "sha3-AAAA", "narSize": 1}]`, "unknown hash algorithm"},
		{"bad hash object", `[{"path": "/nix/store/` + hashA + `-a", "narHash": {"algorithm": "sha256", "format": "base16", "hash": "00"}, "narSize": 1}]`, "base-16 sha256 digest has length 2"},
		{"missing narSize", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "` + sri + `"}]`, `missing "narSize"`},
		{"negative narSize", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "` + sri + `", "narSize": -1}]`, "negative narSize -1"},
		{"fractional narSize", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "` + sri + `", "narSize": 1.5}]`, "narSize"},
		{"bad reference", entry(`, "references": ["/tmp/x"]`), "reference"},
		{"bad deriver", entry(`, "deriver": "unknown"`), "deriver"},
		{"references not strings", entry(`, "references": [1]`), "cannot unmarshal number"},
		{"duplicate", "[" + obj + "}," + obj + "}]", "duplicate entry"},
		{"mixed store dirs", `[{"path": "/nix/store/` + hashA + `-a", "narHash": "` + sri + `", "narSize": 1},
			{"path": "/gnu/store/` + hashB + `-b", "narHash": "` + sri + `", "narSize": 1}]`, "not a store path in /nix/store"},
		{"path outside storeDir", `{"/nix/store/` + hashA + `-a": {"narHash": "` + sri + `", "narSize": 1, "storeDir": "/gnu/store"}}`, `not a store path in /gnu/store`},
		{"conflicting storeDir", `{"version": 2, "storeDir": "/nix/store", "info": {"` + hashA + `-a": {"narHash": "` + sri + `", "narSize": 1, "storeDir": "/gnu/store"}}}`, `store directory "/gnu/store" differs from "/nix/store"`},
		{"bad envelope storeDir", `{"version": 2, "storeDir": "store", "info": {}}`, "invalid store directory"},
		{"unknown envelope version", `{"version": 7, "storeDir": "/nix/store", "info": {}}`, "unsupported path-info JSON format version 7"},
		{"base name without envelope", `{"` + hashA + `-a": {"narHash": "` + sri + `", "narSize": 1, "references": ["x"]}}`, "not a store path base name"},
		{"invalid in array (Nix 2.8)", `[{"path": "/nix/store/` + hashA + `-a", "valid": false}]`, `output: entry 0: /nix/store/` + hashA + `-a: path is not valid in the store`},
		{"invalid in object (Nix 2.19)", `{"/nix/store/` + hashA + `-a": null}`, `output: /nix/store/` + hashA + `-a: path is not valid in the store`},
		{"invalid in envelope", `{"version": 2, "storeDir": "/nix/store", "info": {"` + hashA + `-a": null}}`, "output: " + hashA + `-a: path is not valid in the store`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			infos, err := DecodePathInfo([]byte(tt.in))
			if err == nil {
				t.Fatalf("DecodePathInfo succeeded with %+v, want error containing %q", infos, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "decoding nix path-info output: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want it to start with %q and contain %q", msg, "decoding nix path-info output: ", tt.want)
			}
		})
	}
}
