package update

import (
	"fmt"
	"strconv"
	"strings"
)

// NixVersion is the version of the nix binary, as far as the choice of
// its lock command goes.
type NixVersion struct{ Major, Minor int }

// flakeUpdateTakesInputs is the first Nix whose "nix flake update" takes
// the inputs to update as arguments; before it, "nix flake lock
// --update-input" did that.
var flakeUpdateTakesInputs = NixVersion{2, 19}

// Less reports whether v is older than w.
func (v NixVersion) Less(w NixVersion) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

func (v NixVersion) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// ParseNixVersion reads the output of "nix --version": its first line,
// whose last word is the version, such as "nix (Nix) 2.8.0", "nix (Nix)
// 2.30.0pre20250601_dirty", "nix (Determinate Nix 3.6.2) 2.29.0" or "nix
// (Lix, like Nix) 2.91.1".
func ParseNixVersion(out string) (NixVersion, error) {
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	words := strings.Fields(line)
	if len(words) < 2 || words[0] != "nix" {
		return NixVersion{}, fmt.Errorf("reading the version of nix: %q is not nix --version's answer", line)
	}
	v := words[len(words)-1]
	major, rest, _ := strings.Cut(v, ".")
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	a, errA := strconv.Atoi(major)
	b, errB := strconv.Atoi(rest[:end])
	if errA != nil || errB != nil {
		return NixVersion{}, fmt.Errorf("reading the version of nix: %q has no version MAJOR.MINOR at its end", line)
	}
	return NixVersion{a, b}, nil
}

// UpdateArgs are the arguments of the nix command that moves the input
// called input of the flake at ref to the head of its branch: "nix flake
// update INPUT --flake REF" from Nix 2.19 on, "nix flake lock
// --update-input INPUT REF" before.
func UpdateArgs(v NixVersion, ref, input string) []string {
	if v.Less(flakeUpdateTakesInputs) {
		return []string{"flake", "lock", "--update-input", input, "--", ref}
	}
	return []string{"flake", "update", "--flake", ref, "--", input}
}

// LockToArgs are the arguments of the nix command that locks the input
// called input of the flake at ref to what url names (a URL of one
// commit, see flakeinput.WithRev). Nix keeps the flake.nix URL as the
// lock's original, so later commands do not lock the input again.
func LockToArgs(ref, input, url string) []string {
	return []string{"flake", "lock", "--override-input", input, url, "--", ref}
}
