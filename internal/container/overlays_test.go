package container_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestOverlays(t *testing.T) {
	overlays := []sets.Overlay{{Path: "overlays/openssl-cve.nix", Line: 9}, {Path: "../shared/fix.nix", Line: 10}, {Path: "./local.nix", Line: 11}}
	tests := []struct {
		file string
		want []string
	}{
		{"nixlayer.yaml", nil},
		{"ci/nixlayer.yaml", []string{"ci/overlays/openssl-cve.nix", "shared/fix.nix", "ci/local.nix"}},
		{"/ci/nixlayer.yaml", []string{"ci/overlays/openssl-cve.nix", "shared/fix.nix", "ci/local.nix"}},
	}
	for _, tt := range tests {
		got, err := container.Overlays(tt.file, overlays)
		if tt.want == nil {
			want := tt.file + `:10: overlays: overlay "../shared/fix.nix" is outside the project directory`
			if err == nil || err.Error() != want || !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("Overlays(%q) = %q, %v; want error %q", tt.file, got, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("Overlays(%q): %v", tt.file, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Overlays(%q) (-want +got):\n%s", tt.file, diff)
		}
	}

	_, err := container.Overlays("nixlayer.yaml", []sets.Overlay{{Path: "/etc/nixlayer/cve.nix", Line: 3}})
	want := `nixlayer.yaml:3: overlays: overlay "/etc/nixlayer/cve.nix" is an absolute path; give it relative to nixlayer.yaml, inside the project directory`
	if err == nil || err.Error() != want {
		t.Errorf("absolute overlay: error = %v, want %q", err, want)
	}
	err = container.MissingOverlay("nixlayer.yaml", sets.Overlay{Path: "./cve.nix", Line: 4}, "cve.nix")
	want = `nixlayer.yaml:4: overlays: overlay "./cve.nix" is not a file in the project directory (looked for cve.nix)`
	if err == nil || err.Error() != want || !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("MissingOverlay = %v, want %q", err, want)
	}
}

func TestOverlayDirs(t *testing.T) {
	tests := []struct {
		overlays []string
		want     []string
	}{
		{nil, nil},
		{[]string{"overlays/a.nix", "overlays/b.nix", "cve.nix", "ci/x/c.nix"}, []string{"overlays", ".", "ci/x"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, container.OverlayDirs(tt.overlays)); diff != "" {
			t.Errorf("OverlayDirs(%q) (-want +got):\n%s", tt.overlays, diff)
		}
	}
}
