package lock

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diffLock is a lock with nixpkgs and another input, flake-utils.
const diffLock = `{
  "nodes": {
    "flake-utils": {"locked": {"lastModified": 1, "narHash": "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "owner": "numtide", "repo": "flake-utils", "rev": "1111111111111111111111111111111111111111", "type": "github"}, "original": {"owner": "numtide", "repo": "flake-utils", "type": "github"}},
    "nixpkgs": {"locked": {"lastModified": 1783549019, "narHash": "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=", "owner": "NixOS", "repo": "nixpkgs", "rev": "74cc63f702f7d60a557e152a57b40fb1fd0f72ac", "type": "github"}, "original": {"owner": "NixOS", "ref": "nixos-26.05-small", "repo": "nixpkgs", "type": "github"}},
    "root": {"inputs": {"flake-utils": "flake-utils", "nixpkgs": "nixpkgs"}}
  },
  "root": "root",
  "version": 7
}`

func TestChangedNodes(t *testing.T) {
	moved := strings.NewReplacer("74cc63f702f7d60a557e152a57b40fb1fd0f72ac", "0123456789abcdef0123456789abcdef01234567", "1783549019", "1783549999")
	tests := []struct {
		name string
		new  string
		want []string
		err  string
	}{
		{"the same", diffLock, nil, ""},
		{"the same, laid out another way", strings.Join(strings.Fields(diffLock), ""), nil, ""},
		{"nixpkgs moved", moved.Replace(diffLock), []string{"nixpkgs"}, ""},
		{"nixpkgs and flake-utils moved", strings.ReplaceAll(moved.Replace(diffLock), "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"), []string{"flake-utils", "nixpkgs"}, ""},
		{"a node added", strings.Replace(diffLock, `"root": {`, `"systems": {"locked": {"type": "path", "path": "/x"}}, "root": {`, 1), []string{"systems"}, ""},
		{"a root input dropped", strings.Replace(diffLock, `"flake-utils": "flake-utils", `, ``, 1), []string{"root"}, ""},
		{"a number changed in its last digit", strings.Replace(diffLock, `"lastModified": 1,`, `"lastModified": 2,`, 1), []string{"flake-utils"}, ""},
		{"the version", strings.Replace(diffLock, `"version": 7`, `"version": 8`, 1), nil, `parsing flake.lock: comparing two locks: their "version" differs, outside the nodes`},
		{"the root's name", strings.Replace(diffLock, `"root": "root"`, `"root": "top"`, 1), nil, `parsing flake.lock: comparing two locks: their "root" differs, outside the nodes`},
		{"not JSON", `{"nodes": `, nil, `parsing flake.lock: comparing two locks: the new lock is not a JSON object`},
		{"no nodes", `{"version": 7}`, nil, `parsing flake.lock: comparing two locks: the new lock has no object of nodes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChangedNodes([]byte(diffLock), []byte(tt.new))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changed nodes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNode(t *testing.T) {
	l, err := Parse([]byte(strings.ReplaceAll(strings.Replace(diffLock, `"nixpkgs": "nixpkgs"}`, `"nixpkgs": "nixpkgs_2"}`, 1), `"nixpkgs": {"locked"`, `"nixpkgs_2": {"locked"`)))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := l.Node("nixpkgs"); err != nil || got != "nixpkgs_2" {
		t.Errorf("Node(nixpkgs) = %q, %v", got, err)
	}
	want := `looking up input "home-manager" in flake.lock: the root has no such input; its inputs are flake-utils, nixpkgs`
	if _, err := l.Node("home-manager"); err == nil || err.Error() != want {
		t.Errorf("Node(home-manager): %v, want %q", err, want)
	}
}
