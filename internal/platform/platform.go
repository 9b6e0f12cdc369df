package platform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// Platform is one platform nixlayer builds images for.
type Platform struct {
	// OCI is the OCI platform, such as "linux/amd64".
	OCI string `json:"platform"`
	// System is the Nix system, such as "x86_64-linux".
	System string `json:"system"`
	// GOARCH is the Go architecture of the helper that runs there.
	GOARCH string `json:"goarch"`
	// OS, Architecture and Variant are the image config's fields.
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
	// ELFMachine is the e_machine field of the platform's programs (62
	// for x86-64, 183 for AArch64), which tells what a program runs on,
	// and which the kernel's binfmt_misc matches to run another
	// platform's programs under emulation.
	ELFMachine uint16 `json:"elfMachine"`
	// Loader and LibDir are the FHS dynamic loader and library directory
	// that programs built for other distributions expect (vscodeCompat).
	Loader string `json:"loader"`
	LibDir string `json:"libdir"`
}

// all is nix/platforms.json, the one list of platforms.
var all = decode(nixflake.Platforms)

// decode decodes the embedded table. It panics when the table is
// malformed: the file is compiled in, and the package's tests decode it.
func decode(data []byte) []Platform {
	var ps []Platform
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ps); err != nil || len(ps) == 0 {
		panic(fmt.Sprintf("nix/platforms.json: %v", err))
	}
	return ps
}

// All returns the platforms, in the table's order: the order of a
// multi-platform index.
func All() []Platform { return slices.Clone(all) }

// Names returns the OCI platforms, such as "linux/amd64".
func Names() []string {
	out := make([]string, len(all))
	for i, p := range all {
		out[i] = p.OCI
	}
	return out
}

// Systems returns the Nix systems, such as "x86_64-linux".
func Systems() []string {
	out := make([]string, len(all))
	for i, p := range all {
		out[i] = p.System
	}
	return out
}

// Parse returns the platform that s names: an OCI platform such as
// "linux/arm64" (or "linux/arm64/v8", with its variant), or a Nix system
// such as "aarch64-linux". Another name is an error that wraps
// usererr.ErrBadInput and lists the platforms.
func Parse(s string) (Platform, error) {
	for _, p := range all {
		if s == p.OCI || s == p.System || p.Variant != "" && s == p.OCI+"/"+p.Variant {
			return p, nil
		}
	}
	return Platform{}, usererr.Errorf("unsupported platform %q; nixlayer builds for %s (Nix systems %s)", s, strings.Join(Names(), " and "), strings.Join(Systems(), " and "))
}

// ParseList returns the platforms that names name (see Parse), in the
// table's order and without repeats, so that the same platforms in
// another order make the same index. No names is an error.
func ParseList(names []string) ([]Platform, error) {
	if len(names) == 0 {
		return nil, usererr.Errorf("no platforms given; nixlayer builds for %s", strings.Join(Names(), " and "))
	}
	want := map[string]bool{}
	for _, n := range names {
		p, err := Parse(n)
		if err != nil {
			return nil, err
		}
		want[p.OCI] = true
	}
	var out []Platform
	for _, p := range all {
		if want[p.OCI] {
			out = append(out, p)
		}
	}
	return out, nil
}

// Host returns the platform of the machine nixlayer runs on, or an error
// when nixlayer builds for no platform of that architecture.
func Host() (Platform, error) {
	for _, p := range all {
		if p.GOARCH == runtime.GOARCH && p.OS == runtime.GOOS {
			return p, nil
		}
	}
	return Platform{}, fmt.Errorf("nixlayer builds for %s, not for this machine's %s/%s; give --platform", strings.Join(Names(), " and "), runtime.GOOS, runtime.GOARCH)
}

// HostSystem is the Nix system of this machine, or "x86_64-linux" on a
// machine nixlayer does not build for (which then needs --system).
func HostSystem() string {
	if p, err := Host(); err == nil {
		return p.System
	}
	return all[0].System
}
