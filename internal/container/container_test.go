package container_test

import (
	"errors"
	"slices"
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

func TestPlatform(t *testing.T) {
	for system, want := range map[string]string{"x86_64-linux": "linux/amd64", "aarch64-linux": "linux/arm64"} {
		if got, err := container.Platform(system); err != nil || got != want {
			t.Errorf("Platform(%q) = %q, %v; want %q", system, got, err, want)
		}
	}
	_, err := container.Platform("x86_64-darwin")
	if err == nil || err.Error() != `unsupported system "x86_64-darwin"; nixlayer builds for aarch64-linux and x86_64-linux: bad input` || !errors.Is(err, sets.ErrBadInput) {
		t.Errorf("Platform(x86_64-darwin) error = %v", err)
	}
}

func TestCacheKey(t *testing.T) {
	tests := []struct{ image, system, want string }{
		{"docker.io/nixos/nix:2.28.5@sha256:e2bff159b88c242722022a273d3832a4392f01dba35b796204d852b89042526e", "x86_64-linux", "nixlayer-nix-2.28.5-e2bff159b88c-x86_64-linux"},
		{"nixos/nix:2.28.5", "aarch64-linux", "nixlayer-nix-2.28.5-aarch64-linux"},
		{"registry:5000/nix", "x86_64-linux", "nixlayer-nix-x86_64-linux"},
	}
	for _, tt := range tests {
		if got := container.CacheKey(tt.image, tt.system); got != tt.want {
			t.Errorf("CacheKey(%q, %q) = %q, want %q", tt.image, tt.system, got, tt.want)
		}
	}
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
