package nix

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// BuildResult is one entry of the output of "nix build --json".
type BuildResult struct {
	// DrvPath is the store derivation that was built, or "" when the
	// installable was a plain store path.
	DrvPath string `json:"drvPath,omitempty"`
	// Outputs maps each built output's name, such as "out", to its store
	// path.
	Outputs map[string]string `json:"outputs,omitempty"`
	// Path is the store path of an installable that was a plain store path
	// rather than a derivation; Outputs is then empty.
	Path string `json:"path,omitempty"`
}

// Paths returns the store paths the result stands for: its output paths,
// sorted, or Path.
func (r BuildResult) Paths() []string {
	if r.Path != "" {
		return []string{r.Path}
	}
	return slices.Sorted(maps.Values(r.Outputs))
}

// Build runs "nix build --json --no-link" with FlakeArgs and args on the
// installables, and returns what was built, one result per installable.
func (d *Driver) Build(ctx context.Context, installables []string, args ...string) ([]BuildResult, error) {
	if len(installables) == 0 {
		return nil, errors.New("nix build: no installables given")
	}
	out, err := d.Run(ctx, d.BuildArgs(installables, args...)...)
	if err != nil {
		return nil, err
	}
	return DecodeBuild(out)
}

// rawBuildResult is one object in "nix build --json" output.
type rawBuildResult struct {
	DrvPath json.RawMessage   `json:"drvPath"`
	Outputs map[string]string `json:"outputs"`
	Path    string            `json:"path"`
}

// DecodeBuild decodes the output of "nix build --json". Each entry is an
// object with "drvPath" and "outputs"; or, for an installable that is a
// plain store path, {"path": …} (Nix 2.8) or a bare string (newer Nix).
// For a dynamic derivation, whose "drvPath" is itself an object, DrvPath is
// the built derivation's path. All paths are checked to be store paths.
func DecodeBuild(data []byte) ([]BuildResult, error) {
	results, err := decodeBuild(data)
	if err != nil {
		return nil, fmt.Errorf("decoding nix build output: %w", err)
	}
	return results, nil
}

func decodeBuild(data []byte) ([]BuildResult, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '[' {
		return nil, fmt.Errorf("want a JSON array, got %.20q", data)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, err
	}
	results := make([]BuildResult, 0, len(entries))
	for i, raw := range entries {
		r, err := decodeBuildEntry(raw)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		results = append(results, r)
	}
	return results, nil
}

func decodeBuildEntry(raw json.RawMessage) (BuildResult, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return BuildResult{Path: s}, checkStorePath(s)
	}
	var r rawBuildResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return BuildResult{}, err
	}
	if len(r.DrvPath) == 0 || string(r.DrvPath) == "null" {
		if r.Path == "" {
			return BuildResult{}, errors.New(`want "drvPath" or "path"`)
		}
		return BuildResult{Path: r.Path}, checkStorePath(r.Path)
	}
	drv, err := decodeDrvPath(r.DrvPath)
	if err != nil {
		return BuildResult{}, err
	}
	if len(r.Outputs) == 0 {
		return BuildResult{}, fmt.Errorf("%s: no outputs", drv)
	}
	for name, p := range r.Outputs {
		if name == "" {
			return BuildResult{}, fmt.Errorf("%s: empty output name", drv)
		}
		if err := checkStorePath(p); err != nil {
			return BuildResult{}, fmt.Errorf("%s: output %s: %w", drv, name, err)
		}
	}
	return BuildResult{DrvPath: drv, Outputs: r.Outputs}, nil
}

// decodeDrvPath decodes a "drvPath" field: a store path or, for a dynamic
// derivation, an object whose "outputPath" is the built derivation.
func decodeDrvPath(raw json.RawMessage) (string, error) {
	var p string
	if err := json.Unmarshal(raw, &p); err != nil {
		var built struct {
			OutputPath string `json:"outputPath"`
		}
		if err := json.Unmarshal(raw, &built); err != nil || built.OutputPath == "" {
			return "", fmt.Errorf("drvPath: want a store path or an object with \"outputPath\", got %.40s", raw)
		}
		p = built.OutputPath
	}
	if err := checkStorePath(p); err != nil {
		return "", fmt.Errorf("drvPath: %w", err)
	}
	return p, nil
}
