package container_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/sets"
)

func TestGoBuild(t *testing.T) {
	want := []string{"go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/out/nixlayer", "./cmd/nixlayer"}
	if diff := cmp.Diff(want, container.GoBuildArgs()); diff != "" {
		t.Errorf("GoBuildArgs (-want +got):\n%s", diff)
	}
	for _, goarch := range []string{"amd64", "arm64"} {
		want := []container.Env{
			{Name: "CGO_ENABLED", Value: "0"},
			{Name: "GOOS", Value: "linux"},
			{Name: "GOARCH", Value: goarch},
			{Name: "GOTOOLCHAIN", Value: "local"},
			{Name: "GOFLAGS", Value: "-mod=readonly"},
			{Name: "GOMODCACHE", Value: "/go/pkg/mod"},
			{Name: "GOCACHE", Value: "/root/.cache/go-build"},
		}
		if diff := cmp.Diff(want, container.GoEnv(goarch)); diff != "" {
			t.Errorf("GoEnv(%s) (-want +got):\n%s", goarch, diff)
		}
	}
	wantSource := struct{ Include, Exclude []string }{
		Include: []string{"go.mod", "go.sum", "cmd/**", "internal/**", "nix/**"},
		Exclude: []string{"**/*_test.go", "**/testdata"},
	}
	if diff := cmp.Diff(wantSource, container.HelperSource); diff != "" {
		t.Errorf("HelperSource (-want +got):\n%s", diff)
	}
}

func TestInvocationArgs(t *testing.T) {
	tests := []struct {
		name string
		inv  container.Invocation
		want []string
	}{
		{
			name: "runtime",
			inv:  container.Invocation{Command: container.CommandBuild, Kind: "runtime", Sets: []string{"base"}, System: "x86_64-linux"},
			want: []string{"/nixlayer/bin/nixlayer", "build", "runtime", "--sets=base", "--system=x86_64-linux",
				"--catalog-store=https://cache.nixos.org", "--cache=/nixlayer/cache", "-o", "/nixlayer/out/image.tar"},
		},
		{
			name: "devcontainer with everything",
			inv: container.Invocation{
				Command: container.CommandBuild, Kind: "devcontainer",
				Sets: []string{"base", "vscodeCompat", "python"}, Packages: []string{"htop", "-jq"},
				ProjectFile: "/ci/../ci/nixlayer.yaml", Nixpkgs: true, System: "aarch64-linux",
			},
			want: []string{
				"/nixlayer/bin/nixlayer", "build", "devcontainer", "--sets=base,vscodeCompat,python",
				"--packages=htop", "--packages=-jq", "--project=ci/nixlayer.yaml",
				"--nixpkgs=/nixlayer/nixpkgs", "--system=aarch64-linux", "--cache=/nixlayer/cache", "-o", "/nixlayer/out/image.tar",
			},
		},
		{
			name: "closure",
			inv:  container.Invocation{Command: container.CommandClosure, Sets: []string{"base", "python"}, ProjectFile: "nixlayer.yaml", System: "x86_64-linux"},
			want: []string{"/nixlayer/bin/nixlayer", "closure", "--sets=base,python", "--project=nixlayer.yaml", "--system=x86_64-linux"},
		},
		{
			name: "closure as JSON",
			inv:  container.Invocation{Command: container.CommandClosure, Sets: []string{"base"}, Packages: []string{"htop"}, System: "x86_64-linux", JSON: true},
			want: []string{"/nixlayer/bin/nixlayer", "closure", "--sets=base", "--packages=htop", "--system=x86_64-linux", "--json"},
		},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.inv.Args()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		in, kind, sets, err string
	}{
		{in: "devcontainer", kind: "devcontainer", sets: "base,vscodeCompat,devTools,nixTools"},
		{in: "DEVCONTAINER", kind: "devcontainer", sets: "base,vscodeCompat,devTools,nixTools"},
		{in: "runtime", kind: "runtime", sets: "base"},
		{in: "Runtime", kind: "runtime", sets: "base"},
		{in: "vm", err: `unknown kind of image "vm"; nixlayer builds devcontainer and runtime: bad input`},
		{in: "", err: `unknown kind of image ""; nixlayer builds devcontainer and runtime: bad input`},
	}
	for _, tt := range tests {
		kind, err := container.ParseKind(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, sets.ErrBadInput) {
				t.Errorf("ParseKind(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || kind != tt.kind {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", tt.in, kind, err, tt.kind)
		}
		if got := container.DefaultSets(kind); got != tt.sets {
			t.Errorf("DefaultSets(%q) = %q, want %q", kind, got, tt.sets)
		}
	}
}

func TestHelperError(t *testing.T) {
	const what = "building the runtime image for linux/arm64"
	tests := []struct {
		name     string
		exitCode int
		stderr   string
		want     string
		badInput bool
	}{
		{
			name:     "bad input is the command line's line",
			exitCode: 2,
			stderr:   "nixlayer: building 12 attributes from sets [base]\nevaluating…\nnixlayer: attribute \"pyhton312\" (from --packages) is not in nixpkgs\n",
			want:     `attribute "pyhton312" (from --packages) is not in nixpkgs`,
			badInput: true,
		},
		{
			name:     "another failure says what failed",
			exitCode: 1,
			stderr:   "building '/nix/store/…-openssl.drv'…\nerror: builder failed\nnixlayer: building 3 packages: exit status 1 | error: builder failed\n",
			want:     what + ": building 3 packages: exit status 1 | error: builder failed",
		},
		{
			name:     "not the helper's line: the last line",
			exitCode: 137,
			stderr:   "nixlayer: building 12 attributes from sets [base]\ncopying path …\nKilled\n\n",
			want:     what + ": Killed",
		},
		{
			name:     "an error after progress of the helper's own",
			exitCode: 1,
			stderr:   "nixlayer: building 12 attributes from sets [base]\nnixlayer: writing /nixlayer/out/image.tar: no space left on device",
			want:     what + ": writing /nixlayer/out/image.tar: no space left on device",
		},
		{
			name:     "nothing on standard error",
			exitCode: 1,
			want:     what + ": the helper exited with status 1",
		},
	}
	for _, tt := range tests {
		err := container.NewHelperError(what, tt.exitCode, tt.stderr)
		if got := err.Error(); got != tt.want {
			t.Errorf("%s: error %q, want %q", tt.name, got, tt.want)
		}
		if got := errors.Is(err, sets.ErrBadInput); got != tt.badInput {
			t.Errorf("%s: errors.Is(err, sets.ErrBadInput) = %v", tt.name, got)
		}
	}
}
