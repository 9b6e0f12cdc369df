package match

import (
	"strconv"
	"strings"
)

// compareVersions compares two version strings as Nix's
// builtins.compareVersions does: split into components at dots and dashes
// and between digits and letters, then compare components in turn,
// numerically where both are numbers; "pre" sorts before anything, and a
// missing component before a number.
func compareVersions(a, b string) int {
	ca, cb := versionComponents(a), versionComponents(b)
	for i := 0; i < len(ca) || i < len(cb); i++ {
		var x, y string
		if i < len(ca) {
			x = ca[i]
		}
		if i < len(cb) {
			y = cb[i]
		}
		switch {
		case componentLess(x, y):
			return -1
		case componentLess(y, x):
			return 1
		}
	}
	return 0
}

func versionComponents(v string) []string {
	var out []string
	for i := 0; i < len(v); {
		c := v[i]
		if c == '.' || c == '-' {
			i++
			continue
		}
		j := i + 1
		digit := '0' <= c && c <= '9'
		for j < len(v) && v[j] != '.' && v[j] != '-' && ('0' <= v[j] && v[j] <= '9') == digit {
			j++
		}
		out = append(out, v[i:j])
		i = j
	}
	return out
}

func componentLess(a, b string) bool {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return na < nb
	case a == "" && errB == nil:
		return true
	case a == "pre" && b != "pre":
		return true
	case b == "pre":
		return false
	case errB == nil:
		return true
	case errA == nil:
		return false
	}
	return a < b
}

// trimTagPrefix turns a version or tag such as "v1.2.13" or "zlib-1.2.13"
// into its version: what follows the first run of letters and separators.
func trimTagPrefix(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return '0' <= r && r <= '9' })
	if i < 0 {
		return s
	}
	return s[i:]
}
