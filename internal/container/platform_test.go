package container_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/sets"
)

var (
	amd64 = container.Target{Platform: "linux/amd64", System: "x86_64-linux", GOARCH: "amd64"}
	arm64 = container.Target{Platform: "linux/arm64", System: "aarch64-linux", GOARCH: "arm64"}
)

func TestTargetOf(t *testing.T) {
	tests := []struct {
		platform string
		want     container.Target
		err      string
	}{
		{platform: "linux/amd64", want: amd64},
		{platform: "linux/arm64", want: arm64},
		{platform: "linux/arm64/v8", want: arm64},
		{platform: "linux/riscv64", err: `unsupported platform "linux/riscv64"; nixlayer builds for linux/amd64 and linux/arm64: bad input`},
		{platform: "darwin/arm64", err: `unsupported platform "darwin/arm64"; nixlayer builds for linux/amd64 and linux/arm64: bad input`},
		{platform: "x86_64-linux", err: `unsupported platform "x86_64-linux"; nixlayer builds for linux/amd64 and linux/arm64: bad input`},
		{platform: "", err: `unsupported platform ""; nixlayer builds for linux/amd64 and linux/arm64: bad input`},
	}
	for _, tt := range tests {
		got, err := container.TargetOf(tt.platform)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, sets.ErrBadInput) {
				t.Errorf("TargetOf(%q) error = %v, want %q", tt.platform, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("TargetOf(%q): %v", tt.platform, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("TargetOf(%q) (-want +got):\n%s", tt.platform, diff)
		}
	}
}

func TestTargets(t *testing.T) {
	tests := []struct {
		platforms []string
		want      []container.Target
		err       string
	}{
		{platforms: []string{"linux/amd64", "linux/arm64"}, want: []container.Target{amd64, arm64}},
		{platforms: []string{"linux/arm64", "linux/amd64", "linux/arm64/v8"}, want: []container.Target{arm64, amd64}},
		{platforms: nil, err: "no platforms given; nixlayer builds for linux/amd64 and linux/arm64: bad input"},
		{platforms: []string{"linux/amd64", "linux/s390x"}, err: `unsupported platform "linux/s390x"; nixlayer builds for linux/amd64 and linux/arm64: bad input`},
	}
	for _, tt := range tests {
		got, err := container.Targets(tt.platforms)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Targets(%q) error = %v, want %q", tt.platforms, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Targets(%q): %v", tt.platforms, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Targets(%q) (-want +got):\n%s", tt.platforms, diff)
		}
	}
}
