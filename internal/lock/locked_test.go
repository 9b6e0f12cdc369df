package lock

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLocked(t *testing.T) {
	shipped, err := os.ReadFile("../../nix/flake.lock")
	if err != nil {
		t.Fatal(err)
	}
	pathLock := []byte(`{"nodes":{"nixpkgs":{"locked":{"lastModified":0,"narHash":"sha256-tcJk0ClmCKahCoQpP86mxK54dAgKBE0Ryt/s76PSAwM=","path":"/src/universe","type":"path"}},"root":{"inputs":{"nixpkgs":"nixpkgs"}}},"root":"root","version":7}`)
	for _, tc := range []struct {
		name      string
		data      []byte
		want      Source
		wantLabel string
	}{
		{"the shipped github pin", shipped,
			Source{Type: "github", Rev: "74cc63f702f7d60a557e152a57b40fb1fd0f72ac", NarHash: "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=", LastModified: 1783549019},
			"74cc63f702f7d60a557e152a57b40fb1fd0f72ac"},
		{"a path override", pathLock,
			Source{Type: "path", NarHash: "sha256-tcJk0ClmCKahCoQpP86mxK54dAgKBE0Ryt/s76PSAwM="},
			"sha256-tcJk0ClmCKahCoQpP86mxK54dAgKBE0Ryt/s76PSAwM="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Locked(tc.data, "nixpkgs")
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
	for name, data := range map[string][]byte{"not JSON": []byte("{"), "no node": []byte(`{"nodes":{}}`)} {
		if _, err := Locked(data, "nixpkgs"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
