package container

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/sets"
)

// Target is a platform that nixlayer builds images for.
type Target struct {
	// Platform is the OCI platform, such as "linux/amd64".
	Platform string
	// System is the Nix system, such as "x86_64-linux".
	System string
	// GOARCH is the Go architecture of the helper that runs there.
	GOARCH string
}

// targets are the platforms that nixlayer's flake supports.
var targets = []Target{
	{Platform: "linux/amd64", System: "x86_64-linux", GOARCH: "amd64"},
	{Platform: "linux/arm64", System: "aarch64-linux", GOARCH: "arm64"},
}

// TargetOf returns the target of an OCI platform, such as "linux/arm64"
// (or "linux/arm64/v8", as an engine may name it). Another platform is an
// error that wraps sets.ErrBadInput.
func TargetOf(platform string) (Target, error) {
	for _, t := range targets {
		if platform == t.Platform || t.GOARCH == "arm64" && platform == "linux/arm64/v8" {
			return t, nil
		}
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Platform
	}
	return Target{}, fmt.Errorf("unsupported platform %q; nixlayer builds for %s: %w", platform, strings.Join(names, " and "), sets.ErrBadInput)
}

// Targets returns the targets of platforms, in order and without repeats.
func Targets(platforms []string) ([]Target, error) {
	if len(platforms) == 0 {
		return nil, fmt.Errorf("no platforms given; nixlayer builds for linux/amd64 and linux/arm64: %w", sets.ErrBadInput)
	}
	var out []Target
	for _, p := range platforms {
		t, err := TargetOf(p)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}
