package nix

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Derivation is one store derivation as "nix derivation show" prints it,
// normalised across Nix versions: every path is a full store path.
type Derivation struct {
	// Path is the full store path of the .drv file.
	Path string `json:"path"`
	// Name is the derivation's name, such as "zlib-1.3.1" (the name of
	// the .drv file, for Nix versions that do not print it).
	Name string `json:"name"`
	// System is the system it builds on, such as "x86_64-linux".
	System string `json:"system"`
	// Outputs maps each output name, such as "out", to its store path.
	Outputs map[string]string `json:"outputs"`
	// InputDrvs maps each input derivation to the names of the outputs
	// used, sorted.
	InputDrvs map[string][]string `json:"inputDrvs"`
	// InputSrcs holds the store paths of the sources (files added to the
	// store, such as patches), sorted.
	InputSrcs []string `json:"inputSrcs"`
	// Env is the builder's environment: the derivation's attributes as
	// strings (a list becomes its elements joined by spaces).
	Env map[string]string `json:"env"`
}

// DerivationShowArgs returns the arguments of "nix derivation show
// --recursive" (Nix 2.15 and later) on installables.
func DerivationShowArgs(installables ...string) []string {
	return append([]string{"derivation", "show", "--recursive", "--"}, installables...)
}

// ShowDerivationArgs returns the arguments of "nix show-derivation
// --recursive", the name of "derivation show" before Nix 2.15 (such as
// Debian's Nix 2.8); later versions keep it as a deprecated alias.
func ShowDerivationArgs(installables ...string) []string {
	return append([]string{"show-derivation", "--recursive", "--"}, installables...)
}

// Derivations returns the derivations of the installables (store
// derivations, or output paths, whose deriver Nix looks up) and of
// everything they depend on, keyed by .drv path.
//
// It runs "nix derivation show --recursive" and, if that fails, "nix
// show-derivation --recursive": older Nix has only the second, and current
// Nix may drop it. Deciding by which command works reads no log text and no
// version string. When both fail, the error is the second command's, which
// is Nix's own message about the installables on any version that has
// both.
func (d *Driver) Derivations(ctx context.Context, installables ...string) (map[string]Derivation, error) {
	if len(installables) == 0 {
		return nil, errors.New("nix derivation show: no installables given")
	}
	// Quiet: on a Nix that lacks the command, its complaint is not news.
	quiet := *d
	quiet.Progress = nil
	out, err := quiet.Run(ctx, DerivationShowArgs(installables...)...)
	if _, failed := errors.AsType[*CommandError](err); failed && ctx.Err() == nil {
		out, err = d.Run(ctx, ShowDerivationArgs(installables...)...)
	}
	if err != nil {
		return nil, err
	}
	return DecodeDerivations(out)
}

// rawDerivation is one derivation as any Nix version prints it.
type rawDerivation struct {
	Name    string `json:"name"`
	System  string `json:"system"`
	Outputs map[string]struct {
		Path *string `json:"path"`
	} `json:"outputs"`
	InputSrcs []string                   `json:"inputSrcs"`
	InputDrvs map[string]json.RawMessage `json:"inputDrvs"`
	Inputs    *struct {
		Srcs []string                   `json:"srcs"`
		Drvs map[string]json.RawMessage `json:"drvs"`
	} `json:"inputs"`
	Env map[string]string `json:"env"`
}

// DecodeDerivations decodes the output of "nix derivation show" or "nix
// show-derivation" from any Nix version, keyed by full .drv path. It
// understands
//
//   - the object keyed by full .drv path printed up to Nix 2.31, whose
//     inputDrvs map to a list of output names (up to Nix 2.17) or to
//     {"outputs": […], "dynamicOutputs": {…}} (Nix 2.18 and later);
//   - the same keyed by base name, with base-name paths and "version": 3
//     in each derivation (Nix 2.32);
//   - the {"version": 4, "derivations": {…}} envelope of Nix 2.33 and
//     later, keyed by base name, whose inputs are under "inputs": {"srcs",
//     "drvs"}, and whose fixed-output derivations give no output path.
//
// An output without a path takes it from the environment variable named
// after the output, which every Nix version sets to the full path.
func DecodeDerivations(data []byte) (map[string]Derivation, error) {
	drvs, err := decodeDerivations(data)
	if err != nil {
		return nil, fmt.Errorf("decoding nix derivation show output: %w", err)
	}
	return drvs, nil
}

func decodeDerivations(data []byte) (map[string]Derivation, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("want a JSON object, got %.20q", data)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	if raw, ok := top["derivations"]; ok {
		var version int
		if err := json.Unmarshal(top["version"], &version); err != nil || version != 4 {
			return nil, fmt.Errorf("unsupported derivation JSON format version %s", string(top["version"]))
		}
		top = nil
		if err := json.Unmarshal(raw, &top); err != nil {
			return nil, fmt.Errorf("derivations: %w", err)
		}
	}
	drvs := make(map[string]Derivation, len(top))
	for _, key := range slices.Sorted(maps.Keys(top)) {
		drv, err := decodeDerivation(key, top[key])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if _, dup := drvs[drv.Path]; dup {
			return nil, fmt.Errorf("%s: duplicate derivation", drv.Path)
		}
		drvs[drv.Path] = drv
	}
	return drvs, nil
}

func decodeDerivation(key string, raw json.RawMessage) (Derivation, error) {
	var r rawDerivation
	if err := json.Unmarshal(raw, &r); err != nil {
		return Derivation{}, err
	}
	full := func(p string) (string, error) { return normalizeStorePath(DefaultStoreDir, p) }
	path, err := full(key)
	if err != nil {
		return Derivation{}, err
	}
	if !strings.HasSuffix(path, ".drv") {
		return Derivation{}, fmt.Errorf("%s is not a .drv path", path)
	}
	drv := Derivation{Path: path, Name: r.Name, System: r.System, Env: r.Env,
		Outputs: map[string]string{}, InputDrvs: map[string][]string{}, InputSrcs: []string{}}
	if drv.Env == nil {
		drv.Env = map[string]string{}
	}
	if drv.Name == "" {
		// Nix before 2.19 prints no name: it is the .drv file's.
		drv.Name = cmp.Or(strings.TrimSuffix(StoreName(path), ".drv"), StoreName(path))
	}
	if len(r.Outputs) == 0 {
		return Derivation{}, errors.New("no outputs")
	}
	for name, o := range r.Outputs {
		p := drv.Env[name]
		if o.Path != nil {
			p = *o.Path
		}
		if p == "" {
			return Derivation{}, fmt.Errorf("output %s: no path, and no %s in env", name, name)
		}
		if drv.Outputs[name], err = full(p); err != nil {
			return Derivation{}, fmt.Errorf("output %s: %w", name, err)
		}
	}
	srcs, inputDrvs := r.InputSrcs, r.InputDrvs
	if r.Inputs != nil {
		srcs, inputDrvs = r.Inputs.Srcs, r.Inputs.Drvs
	}
	for _, s := range srcs {
		p, err := full(s)
		if err != nil {
			return Derivation{}, fmt.Errorf("input source: %w", err)
		}
		drv.InputSrcs = append(drv.InputSrcs, p)
	}
	slices.Sort(drv.InputSrcs)
	for in, rawOuts := range inputDrvs {
		p, err := full(in)
		if err != nil {
			return Derivation{}, fmt.Errorf("input derivation: %w", err)
		}
		outs, err := decodeInputOutputs(rawOuts)
		if err != nil {
			return Derivation{}, fmt.Errorf("input derivation %s: %w", p, err)
		}
		drv.InputDrvs[p] = outs
	}
	return drv, nil
}

// decodeInputOutputs decodes the outputs used of an input derivation: a
// list of names, or an object whose "outputs" is that list.
func decodeInputOutputs(raw json.RawMessage) ([]string, error) {
	var outs []string
	if err := json.Unmarshal(raw, &outs); err != nil {
		var obj struct {
			Outputs []string `json:"outputs"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("want a list of output names or an object with \"outputs\", got %.40s", raw)
		}
		outs = obj.Outputs
	}
	if outs == nil {
		outs = []string{}
	}
	slices.Sort(outs)
	return outs, nil
}
