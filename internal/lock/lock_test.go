package lock_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/lock"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// shippedPin is what nix/flake.lock pins.
var shippedPin = lock.Pin{
	Type:         "github",
	Owner:        "NixOS",
	Repo:         "nixpkgs",
	Ref:          "nixos-26.05-small",
	Rev:          "74cc63f702f7d60a557e152a57b40fb1fd0f72ac",
	NarHash:      "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=",
	LastModified: 1783549019,
}

// shipped returns the flake.lock that nixlayer ships.
func shipped(t testing.TB) []byte {
	t.Helper()
	data, err := nixflake.Files.ReadFile("flake.lock")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseShippedLock(t *testing.T) {
	l, err := lock.Parse(shipped(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"nixpkgs"}, l.Inputs()); diff != "" {
		t.Errorf("Inputs() (-want +got):\n%s", diff)
	}
	pin, err := l.Input("nixpkgs")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(shippedPin, pin); diff != "" {
		t.Errorf(`Input("nixpkgs") (-want +got):\n%s`, diff)
	}
	if got, want := pin.Time(), time.Date(2026, time.July, 8, 22, 16, 59, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Time() = %v, want %v", got, want)
	}
}

// twoInputs is a lock with a transitive input, a follows and a
// SHA-256 commit, in the shape Nix writes.
const twoInputs = `{
  "nodes": {
    "flake-utils": {
      "inputs": { "systems": "systems" },
      "locked": {
        "lastModified": 1731533236,
        "narHash": "sha256-l0KFg5HjrsfsO/JpG+r7fRrqm12kzFHyUHqHCVpMMbI=",
        "owner": "numtide",
        "repo": "flake-utils",
        "rev": "11707dc2f618dd54ca8739b309ec4fc024de578b",
        "type": "github"
      },
      "original": { "owner": "numtide", "repo": "flake-utils", "type": "github" }
    },
    "nixpkgs": {
      "locked": {
        "lastModified": 1783549019,
        "narHash": "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=",
        "ref": "refs/heads/main",
        "rev": "74cc63f702f7d60a557e152a57b40fb1fd0f72ac74cc63f702f7d60a557e152a",
        "revCount": 812345,
        "type": "git",
        "url": "https://example.org/nixpkgs.git"
      },
      "original": { "type": "git", "url": "https://example.org/nixpkgs.git" }
    },
    "root": {
      "inputs": {
        "flake-utils": "flake-utils",
        "nixpkgs": "nixpkgs",
        "systems": [ "flake-utils", "systems" ]
      }
    },
    "systems": {
      "locked": { "type": "path", "path": "/src/systems", "narHash": "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=" },
      "original": { "type": "path", "path": "/src/systems" }
    }
  },
  "root": "root",
  "version": 7
}`

func TestParseSeveralInputs(t *testing.T) {
	l, err := lock.Parse([]byte(twoInputs))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"flake-utils", "nixpkgs", "systems"}, l.Inputs()); diff != "" {
		t.Errorf("Inputs() (-want +got):\n%s", diff)
	}
	want := map[string]lock.Pin{
		"flake-utils": {Type: "github", Owner: "numtide", Repo: "flake-utils", Rev: "11707dc2f618dd54ca8739b309ec4fc024de578b",
			NarHash: "sha256-l0KFg5HjrsfsO/JpG+r7fRrqm12kzFHyUHqHCVpMMbI=", LastModified: 1731533236},
		// A git input names its ref in "locked" only.
		"nixpkgs": {Type: "git", Ref: "refs/heads/main", Rev: "74cc63f702f7d60a557e152a57b40fb1fd0f72ac74cc63f702f7d60a557e152a",
			NarHash: "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=", LastModified: 1783549019},
	}
	got := map[string]lock.Pin{}
	for name := range want {
		if got[name], err = l.Input(name); err != nil {
			t.Errorf("Input(%q): %v", name, err)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pins (-want +got):\n%s", diff)
	}
}

func TestInputErrors(t *testing.T) {
	l, err := lock.Parse([]byte(twoInputs))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want string
	}{
		{"systems", `looking up input "systems" in flake.lock: it follows "flake-utils/systems", which nixlayer does not resolve; lock it on its own`},
		{"nixpkgs-unstable", `looking up input "nixpkgs-unstable" in flake.lock: the root has no such input; its inputs are flake-utils, nixpkgs, systems`},
	}
	for _, tt := range tests {
		_, err := l.Input(tt.name)
		if err == nil {
			t.Errorf("Input(%q) succeeded, want %q", tt.name, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("Input(%q) error (-want +got):\n%s", tt.name, diff)
		}
	}

	empty, err := lock.Parse([]byte(`{"nodes": {"root": {}}, "root": "root", "version": 7}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Input("nixpkgs"); err == nil || err.Error() != `looking up input "nixpkgs" in flake.lock: the root has no such input; it has none` {
		t.Errorf("Input on a lock without inputs: %v", err)
	}
}

// edit returns the shipped lock changed by f, which gets it decoded.
func edit(t *testing.T, f func(top map[string]any)) []byte {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal(shipped(t), &top); err != nil {
		t.Fatal(err)
	}
	f(top)
	data, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// obj returns the object at the path of keys under top.
func obj(top map[string]any, keys ...string) map[string]any {
	m := top
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

// editNixpkgs returns the shipped lock with the locked and original
// entries of the node nixpkgs changed by f.
func editNixpkgs(t *testing.T, f func(locked, original map[string]any)) []byte {
	t.Helper()
	return edit(t, func(top map[string]any) {
		f(obj(top, "nodes", "nixpkgs", "locked"), obj(top, "nodes", "nixpkgs", "original"))
	})
}

func TestParseMalformed(t *testing.T) {
	nixpkgs := func(f func(locked, original map[string]any)) []byte { return editNixpkgs(t, f) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", []byte(" \n"), "it is empty"},
		{"syntax", []byte("{\n  \"nodes\": {\n    \"root\": {},\n  }\n}"), "at 4:3: invalid character '}' looking for beginning of object key string"},
		{"truncated", shipped(t)[:40], "at 4:9: unexpected end of JSON input"},
		{"trailing data", []byte(`{"version": 7} x`), "at 1:16: invalid character 'x' after top-level value"},
		{"not an object", []byte(`[7]`), "the top level must be an object, not an array"},
		{"null", []byte(`null`), "the top level must be an object, not null"},
		{"no version", edit(t, func(top map[string]any) { delete(top, "version") }), "it has no version"},
		{"old version", edit(t, func(top map[string]any) { top["version"] = 5 }), "version 5 is not supported (want 7)"},
		{"version string", edit(t, func(top map[string]any) { top["version"] = "7" }), `version must be an integer, not a string`},
		{"version float", []byte(`{"version": 7.5}`), `version must be an integer, not the number 7.5`},
		{"no nodes", edit(t, func(top map[string]any) { delete(top, "nodes") }), "it has no nodes"},
		{"nodes array", edit(t, func(top map[string]any) { top["nodes"] = []any{} }), "nodes must be an object, not an array"},
		{"no root", edit(t, func(top map[string]any) { delete(top, "root") }), "it has no root"},
		{"root number", edit(t, func(top map[string]any) { top["root"] = 1 }), "root must be a string, not the number 1"},
		{"dangling root", edit(t, func(top map[string]any) { top["root"] = "top" }), `the root "top" is not one of its nodes`},
		{"node not object", edit(t, func(top map[string]any) { obj(top, "nodes")["nixpkgs"] = "x" }), `node "nixpkgs" must be an object, not a string`},
		{"inputs not object", edit(t, func(top map[string]any) { obj(top, "nodes", "root")["inputs"] = []any{"nixpkgs"} }), `node "root": inputs must be an object, not an array`},
		{"dangling input", edit(t, func(top map[string]any) { obj(top, "nodes", "root", "inputs")["nixpkgs"] = "nixpkgs_2" }),
			`node "root": input "nixpkgs" names node "nixpkgs_2", which is not one of its nodes`},
		{"bad follows", edit(t, func(top map[string]any) { obj(top, "nodes", "root", "inputs")["nixpkgs"] = []any{1.0} }),
			`node "root": input "nixpkgs" must be a node name or a follows path (a list of input names), not an array`},
		{"null input", edit(t, func(top map[string]any) { obj(top, "nodes", "root", "inputs")["nixpkgs"] = nil }),
			`node "root": input "nixpkgs" must be a node name or a follows path (a list of input names), not null`},
		{"no locked", edit(t, func(top map[string]any) { delete(obj(top, "nodes", "nixpkgs"), "locked") }), `node "nixpkgs" has no locked entry`},
		{"locked not object", edit(t, func(top map[string]any) { obj(top, "nodes", "nixpkgs")["locked"] = true }), `node "nixpkgs": locked must be an object, not a boolean`},
		{"unused node unlocked", edit(t, func(top map[string]any) { obj(top, "nodes")["stray"] = map[string]any{"locked": map[string]any{}} }), `node "stray" has no locked type`},
		{"original not object", edit(t, func(top map[string]any) { obj(top, "nodes", "nixpkgs")["original"] = "github:NixOS/nixpkgs" }),
			`node "nixpkgs": original must be an object, not a string`},
		{"rev number", nixpkgs(func(l, _ map[string]any) { l["rev"] = 74 }), `node "nixpkgs": locked.rev must be a string, not the number 74`},
		{"no type", nixpkgs(func(l, _ map[string]any) { delete(l, "type") }), `node "nixpkgs" has no locked type`},
		{"lastModified string", nixpkgs(func(l, _ map[string]any) { l["lastModified"] = "1783549019" }),
			`node "nixpkgs": locked.lastModified must be an integer, not a string`},
		{"ref number", nixpkgs(func(_, o map[string]any) { o["ref"] = 26.05 }), `node "nixpkgs": original.ref must be a string, not the number 26.05`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := lock.Parse(tt.data)
			if err == nil {
				t.Fatalf("Parse succeeded (%v), want error %q", l.Inputs(), tt.want)
			}
			if diff := cmp.Diff("parsing flake.lock: "+tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInputNotPinned checks locks whose entry for nixpkgs is well formed
// but not locked to a commit: Parse accepts them, and Input refuses them
// with the error users of Parse and Input (the pin command, the update)
// saw when Parse checked the entry.
func TestInputNotPinned(t *testing.T) {
	nixpkgs := func(f func(locked, original map[string]any)) []byte { return editNixpkgs(t, f) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"no rev", nixpkgs(func(l, _ map[string]any) { delete(l, "rev") }), `node "nixpkgs" has no locked rev`},
		{"short rev", nixpkgs(func(l, _ map[string]any) { l["rev"] = "74cc63f" }), `node "nixpkgs" has a locked rev "74cc63f" that is not a commit hash`},
		{"upper-case rev", nixpkgs(func(l, _ map[string]any) { l["rev"] = strings.ToUpper(shippedPin.Rev) }),
			`node "nixpkgs" has a locked rev "74CC63F702F7D60A557E152A57B40FB1FD0F72AC" that is not a commit hash`},
		{"no owner", nixpkgs(func(l, _ map[string]any) { delete(l, "owner") }), `node "nixpkgs" has no locked owner`},
		{"no repo", nixpkgs(func(l, _ map[string]any) { l["repo"] = "" }), `node "nixpkgs" has no locked repo`},
		{"no narHash", nixpkgs(func(l, _ map[string]any) { delete(l, "narHash") }), `node "nixpkgs" has no locked narHash`},
		{"sha512 narHash", nixpkgs(func(l, _ map[string]any) { l["narHash"] = "sha512-AAAA" }),
			`node "nixpkgs" has a locked narHash "sha512-AAAA" that is not a sha256 hash (sha256-…)`},
		{"no lastModified", nixpkgs(func(l, _ map[string]any) { delete(l, "lastModified") }), `node "nixpkgs" has no locked lastModified`},
		{"negative lastModified", nixpkgs(func(l, _ map[string]any) { l["lastModified"] = -1 }), `node "nixpkgs" has a locked lastModified of -1, before 1970`},
		{"ref newline", nixpkgs(func(_, o map[string]any) { o["ref"] = "a\nb" }), `node "nixpkgs" has a ref "a\nb" with a control character`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := lock.Parse(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Input("nixpkgs")
			if err == nil {
				t.Fatalf("Input succeeded, want error %q", tt.want)
			}
			if diff := cmp.Diff("parsing flake.lock: "+tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseKeepsSyntaxErrorCause(t *testing.T) {
	_, err := lock.Parse([]byte(`{"version": }`))
	if _, ok := errors.AsType[*json.SyntaxError](err); !ok {
		t.Errorf("error %v does not wrap the *json.SyntaxError", err)
	}
}

func TestPosition(t *testing.T) {
	tests := []struct{ data, want string }{
		{"{\"a\": x}", "at 1:7:"},
		{"{\n\"a\":\n  x}", "at 3:3:"},
		{"{\"é\": x}", "at 1:7:"}, // columns count characters
		{"{\"a\":", "at 1:6: unexpected end"},
		{"{\"a\":\n", "at 2:1: unexpected end"},
	}
	for _, tt := range tests {
		_, err := lock.Parse([]byte(tt.data))
		if err == nil || !strings.HasPrefix(err.Error(), "parsing flake.lock: "+tt.want) {
			t.Errorf("Parse(%q) = %v, want it to start with %q", tt.data, err, tt.want)
		}
	}
}
