package container_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

func TestCommandLines(t *testing.T) {
	plan := &flake.Plan{System: "x86_64-linux", Packages: []flake.Package{{Attr: "bashInteractive"}, {Attr: "python312"}}}
	d := container.Driver
	got := [][]string{
		d.Command(container.OverrideNixpkgs...),
		d.Command(d.EvalArgs(flake.PlanInstallable(container.Ref, "x86_64-linux"), flake.FlakeArgs...)...),
		d.Command(d.BuildArgs(flake.BuildInstallables(container.Ref, plan), slices.Concat(flake.FlakeArgs, container.BuildArgs)...)...),
		d.Command(nix.PathInfoArgs("/nix/store/00000000000000000000000000000000-bash-5.2.15")...),
	}
	global := []string{"nix", "--extra-experimental-features", "nix-command flakes"}
	want := [][]string{
		join(global, []string{"flake", "lock", "--override-input", "nixpkgs", "path:/nixlayer/nixpkgs", "--", "path:/nixlayer/work"}),
		join(global, []string{"eval", "--json", "--no-write-lock-file", "--", "path:/nixlayer/work#nixlayer.x86_64-linux"}),
		join(global, []string{"build", "--json", "--no-link", "--no-write-lock-file", "--print-build-logs", "--",
			"path:/nixlayer/work#legacyPackages.x86_64-linux.bashInteractive", "path:/nixlayer/work#legacyPackages.x86_64-linux.python312"}),
		join(global, []string{"path-info", "--json", "--recursive", "--", "/nix/store/00000000000000000000000000000000-bash-5.2.15"}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("command lines (-want +got):\n%s", diff)
	}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

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
			if err == nil || err.Error() != want || !errors.Is(err, sets.ErrBadInput) {
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
	if err == nil || err.Error() != want || !errors.Is(err, sets.ErrBadInput) {
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

func TestNixEnv(t *testing.T) {
	want := []container.Env{
		{Name: "NIX_CONFIG", Value: "experimental-features = nix-command flakes\nsandbox = false\n"},
		{Name: "HOME", Value: "/root"},
		{Name: "NO_COLOR", Value: "1"},
	}
	if diff := cmp.Diff(want, container.NixEnv()); diff != "" {
		t.Errorf("NixEnv (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(container.FetcherCacheDir, container.Home+"/") {
		t.Errorf("the fetcher cache %s is not under HOME %s, where Nix looks for it", container.FetcherCacheDir, container.Home)
	}
}

// TestPaths checks that what the module reads back is outside every cache
// volume, which is not part of the container it reads from.
func TestPaths(t *testing.T) {
	mounts := []string{container.NixDir, container.FetcherCacheDir, container.BlobCacheDir, container.HelperPath, container.ProjectDir, container.NixpkgsDir}
	for _, out := range []string{container.ImagePath, container.WorkDir} {
		for _, m := range mounts {
			if out == m || strings.HasPrefix(out, m+"/") {
				t.Errorf("%s is under the mount %s", out, m)
			}
		}
	}
	for _, out := range []string{container.HelperOut} {
		for _, m := range []string{container.GoModCache, container.GoBuildCache, container.SourceDir} {
			if strings.HasPrefix(out, m+"/") {
				t.Errorf("%s is under %s", out, m)
			}
		}
	}
}

// TestImages checks that the default images are pinned by digest, so that
// each names a Nix store volume.
func TestImages(t *testing.T) {
	for _, image := range []string{container.DefaultNixImage, container.DefaultGoImage} {
		if _, _, err := container.NixVolumes(image, "x86_64-linux"); err != nil {
			t.Errorf("%s: %v", image, err)
		}
	}
}
