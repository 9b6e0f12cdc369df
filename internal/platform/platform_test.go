package platform_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

var (
	amd64 = platform.Platform{OCI: "linux/amd64", System: "x86_64-linux", GOARCH: "amd64", OS: "linux", Architecture: "amd64", ELFMachine: 62,
		Loader: "/lib64/ld-linux-x86-64.so.2", LibDir: "/usr/lib/x86_64-linux-gnu"}
	arm64 = platform.Platform{OCI: "linux/arm64", System: "aarch64-linux", GOARCH: "arm64", OS: "linux", Architecture: "arm64", Variant: "v8", ELFMachine: 183,
		Loader: "/lib/ld-linux-aarch64.so.1", LibDir: "/usr/lib/aarch64-linux-gnu"}
)

func TestTable(t *testing.T) {
	if diff := cmp.Diff([]platform.Platform{amd64, arm64}, platform.All()); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"x86_64-linux", "aarch64-linux"}, platform.Systems()); diff != "" {
		t.Errorf("Systems (-want +got):\n%s", diff)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want platform.Platform
		err  string
	}{
		{in: "linux/amd64", want: amd64},
		{in: "x86_64-linux", want: amd64},
		{in: "linux/arm64", want: arm64},
		{in: "linux/arm64/v8", want: arm64},
		{in: "aarch64-linux", want: arm64},
		{in: "linux/amd64/v2", err: `unsupported platform "linux/amd64/v2"; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
		{in: "linux/riscv64", err: `unsupported platform "linux/riscv64"; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
		{in: "darwin/arm64", err: `unsupported platform "darwin/arm64"; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
		{in: "", err: `unsupported platform ""; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
	}
	for _, tt := range tests {
		got, err := platform.Parse(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("Parse(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseList(t *testing.T) {
	got, err := platform.ParseList([]string{"linux/arm64/v8", "linux/amd64", "aarch64-linux"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]platform.Platform{amd64, arm64}, got); diff != "" {
		t.Errorf("ParseList (-want +got):\n%s", diff)
	}
	if _, err := platform.ParseList(nil); err == nil || !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("ParseList(nil) error = %v, want bad input", err)
	}
	if _, err := platform.ParseList([]string{"linux/amd64", "windows/amd64"}); err == nil || !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("ParseList with windows/amd64: error = %v, want bad input", err)
	}
}

func TestHost(t *testing.T) {
	p, err := platform.Host()
	if err != nil {
		t.Skipf("this machine is not a build platform: %v", err)
	}
	if platform.HostSystem() != p.System {
		t.Errorf("HostSystem %q, Host %+v", platform.HostSystem(), p)
	}
}
