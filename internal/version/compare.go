package version

import (
	"strconv"
	"strings"
)

// Split returns the components of v as Nix's builtins.splitVersion does: the
// maximal runs of digits and the maximal runs of other characters that are
// not separators ('.' and '-'). Separators themselves are dropped, so no
// component is empty, and Split("") is empty.
//
//	Split("1.0pre1")             // ["1" "0" "pre" "1"]
//	Split("unstable-2024-01-01") // ["unstable" "2024" "01" "01"]
func Split(v string) []string {
	var parts []string
	for rest := v; ; {
		var c string
		c, rest = next(rest)
		if c == "" {
			return parts
		}
		parts = append(parts, c)
	}
}

// Compare compares two versions as Nix's builtins.compareVersions does, and
// returns -1 when a is older than b, 0 when they are equal and 1 when a is
// newer. It walks both component lists together; a list that ends first
// goes on with empty components. The first pair of components that differ
// decides, in this order of precedence:
//
//   - two numbers compare as numbers ("10" > "9", "01" = "1");
//   - "pre" is older than any other component, even an empty one;
//   - an empty component is older than anything else, so 1.0 < 1.0.1 and
//     1.0 < 1.0a;
//   - a number is newer than a string, so 2.3a < 2.3.1;
//   - two strings compare byte by byte ("rc" < "w" < "x").
//
// As in Nix, a number is a run of digits whose value fits a 32-bit signed
// integer; a longer one is a string.
func Compare(a, b string) int {
	for a != "" || b != "" {
		var ca, cb string
		ca, a = next(a)
		cb, b = next(b)
		switch {
		case less(ca, cb):
			return -1
		case less(cb, ca):
			return 1
		}
	}
	return 0
}

// next returns the first component of v and what follows it, skipping the
// separators before it. It returns "" when v holds no more components.
func next(v string) (component, rest string) {
	v = strings.TrimLeft(v, ".-")
	if v == "" {
		return "", ""
	}
	n := 1
	if isDigit(v[0]) {
		for n < len(v) && isDigit(v[n]) {
			n++
		}
	} else {
		for n < len(v) && !isDigit(v[n]) && v[n] != '.' && v[n] != '-' {
			n++
		}
	}
	return v[:n], v[n:]
}

// less reports whether component a is older than component b, following
// componentsLT in Nix's names.cc rule by rule.
func less(a, b string) bool {
	na, aNum := number(a)
	nb, bNum := number(b)
	switch {
	case aNum && bNum:
		return na < nb
	case a == "" && bNum:
		return true
	case a == "pre" && b != "pre":
		return true
	case b == "pre":
		return false
	case bNum:
		return true
	case aNum:
		return false
	default:
		return a < b
	}
}

// number returns the value of a component that Nix reads as a number: a
// run of digits that fits an int. Go's strconv, like Nix's string2Int,
// accepts leading zeros and refuses values that overflow.
func number(c string) (int32, bool) {
	if c == "" || !isDigit(c[0]) {
		return 0, false
	}
	n, err := strconv.ParseInt(c, 10, 32)
	return int32(n), err == nil
}

// isDigit reports whether b is an ASCII digit, as C's isdigit in the "C"
// locale that Nix runs in.
func isDigit(b byte) bool { return '0' <= b && b <= '9' }
