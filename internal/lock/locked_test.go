package lock_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/lock"
)

// pathLock is the lock that Nix 2.8 writes for nix/flake.nix with
// "nix flake lock --override-input nixpkgs path:/src/universe", as a build
// locks its work directory: the locked entry is the path's, with no rev
// and the newest modification time of its files; original is still the
// flake's github input.
const pathLock = `{
  "nodes": {
    "nixpkgs": {
      "locked": {
        "lastModified": 1796540405,
        "narHash": "sha256-hTJPMh9Bwky2TlaWmLrkBHdUBmpxSCPRK+bmnFNpNQE=",
        "path": "/src/universe",
        "type": "path"
      },
      "original": {
        "owner": "NixOS",
        "ref": "nixos-26.05-small",
        "repo": "nixpkgs",
        "type": "github"
      }
    },
    "root": {
      "inputs": {
        "nixpkgs": "nixpkgs"
      }
    }
  },
  "root": "root",
  "version": 7
}`

func TestLocked(t *testing.T) {
	for _, tc := range []struct {
		name      string
		data      []byte
		want      lock.Source
		wantLabel string
	}{
		{"the shipped github pin", shipped(t),
			lock.Source{Type: "github", Rev: "74cc63f702f7d60a557e152a57b40fb1fd0f72ac", NarHash: "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=", LastModified: 1783549019},
			"74cc63f702f7d60a557e152a57b40fb1fd0f72ac"},
		{"a path override", []byte(pathLock),
			lock.Source{Type: "path", NarHash: "sha256-hTJPMh9Bwky2TlaWmLrkBHdUBmpxSCPRK+bmnFNpNQE=", LastModified: 1796540405},
			"sha256-hTJPMh9Bwky2TlaWmLrkBHdUBmpxSCPRK+bmnFNpNQE="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lock.Locked(tc.data, "nixpkgs")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Locked (-want +got):\n%s", diff)
			}
			if got.Label() != tc.wantLabel {
				t.Errorf("Label() = %q, want %q", got.Label(), tc.wantLabel)
			}
		})
	}

	// Input refuses what Locked reads: the path is not a commit.
	l, err := lock.Parse([]byte(pathLock))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Input("nixpkgs"); err == nil || err.Error() != `parsing flake.lock: node "nixpkgs" has no locked rev` {
		t.Errorf("Input of a path: %v", err)
	}
}

// TestLockedErrors checks that Locked fails as Parse does, and as Input
// does for a missing input.
func TestLockedErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"not JSON", "{", "parsing flake.lock: at 1:2: unexpected end of JSON input"},
		{"no version", `{"nodes":{}}`, "parsing flake.lock: it has no version"},
		{"no input", `{"nodes": {"root": {}}, "root": "root", "version": 7}`,
			`looking up input "nixpkgs" in flake.lock: the root has no such input; it has none`},
		{"rev not a string", `{"nodes": {"nixpkgs": {"locked": {"type": "path", "rev": 1}}, "root": {"inputs": {"nixpkgs": "nixpkgs"}}}, "root": "root", "version": 7}`,
			`parsing flake.lock: node "nixpkgs": locked.rev must be a string, not the number 1`},
	} {
		if got, err := lock.Locked([]byte(tc.data), "nixpkgs"); err == nil || err.Error() != tc.want {
			t.Errorf("%s: Locked = %+v, %v; want the error %q", tc.name, got, err, tc.want)
		}
	}
}
