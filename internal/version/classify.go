package version

import (
	"strings"

	"golang.org/x/mod/semver"
)

// Class says how far apart two versions of a package are.
type Class string

// The classes that Classify returns.
const (
	// Same: the versions are equal in the order Classify uses, though
	// the strings may differ ("1.2" and "1.2.0" are the same semver
	// version).
	Same Class = "same"
	// Downgrade: the new version is older than the old one.
	Downgrade Class = "downgrade"
	// Major: the first component changed (1.4.2 → 2.0.0).
	Major Class = "major"
	// Minor: the second component changed (3.11.2 → 3.12.0).
	Minor Class = "minor"
	// Patch: a later component changed, or a non-numeric part such as a
	// letter or a pre-release tag (0.56.3 → 0.56.4, 1.1.1w → 1.1.1x).
	Patch Class = "patch"
	// Other: the new version is newer, but no position can be named,
	// because the versions are dates, start with a word (unstable-…),
	// or one of them is empty.
	Other Class = "other"
)

// Classify says how the version of a package moved from old to new. See
// the package documentation for the rules.
func Classify(old, new string) Class {
	so, sn, isSemver := semverPair(old, new)
	var order int
	if isSemver {
		order = semverOrder(so, sn)
	} else {
		order = Compare(old, new)
	}
	switch {
	case order == 0:
		return Same
	case order > 0:
		return Downgrade
	case dated(old) || dated(new):
		return Other
	case isSemver:
		switch {
		case semver.Major(so) != semver.Major(sn):
			return Major
		case semver.MajorMinor(so) != semver.MajorMinor(sn):
			return Minor
		default:
			return Patch
		}
	default:
		return position(old, new)
	}
}

// semverPair returns old and new as semver versions ("1.2" becomes "v1.2"),
// and whether both are valid semver.
func semverPair(old, new string) (so, sn string, ok bool) {
	so, sn = "v"+old, "v"+new
	return so, sn, semver.IsValid(so) && semver.IsValid(sn)
}

// semverOrder orders two valid semver versions by semver precedence, except
// that two pre-release tags compare as Nix compares versions, so that rc2
// comes before rc10 (semver compares "rc2" and "rc10" as strings).
func semverOrder(a, b string) int {
	pa, pb := semver.Prerelease(a), semver.Prerelease(b)
	if c := semver.Compare(strings.TrimSuffix(semver.Canonical(a), pa), strings.TrimSuffix(semver.Canonical(b), pb)); c != 0 {
		return c
	}
	switch {
	case pa == pb:
		return 0
	case pa == "":
		return 1 // a release is newer than its pre-releases
	case pb == "":
		return -1
	default:
		return Compare(pa, pb)
	}
}

// position classifies an upgrade between versions that are not both
// semver. When either starts with a word (unstable-…, r123) or is empty,
// there is no position to name and the class is Other. Otherwise the first
// components that differ decide, a missing component counting as 0: two
// numbers give Major at index 0, Minor at index 1 and Patch beyond; a word
// on either side gives Patch, as does a change after a word (1.0pre1 →
// 1.0pre2) and a change only in how the version is written (1.0 → 1.0.0).
func position(old, new string) Class {
	co, cn := Split(old), Split(new)
	if len(co) == 0 || len(cn) == 0 {
		return Other
	}
	if _, num := number(co[0]); !num {
		return Other
	}
	if _, num := number(cn[0]); !num {
		return Other
	}
	for i := range max(len(co), len(cn)) {
		a, aNum := number(at(co, i))
		b, bNum := number(at(cn, i))
		switch {
		case !aNum || !bNum:
			return Patch
		case a == b:
			continue
		case i == 0:
			return Major
		case i == 1:
			return Minor
		default:
			return Patch
		}
	}
	return Patch
}

// at returns the i-th component, or "0" past the end.
func at(c []string, i int) string {
	if i < len(c) {
		return c[i]
	}
	return "0"
}

// dated reports whether v holds a calendar date: three components in a
// row that read as a year (four digits starting with 19 or 20), a month
// (two digits, 01 to 12) and a day (two digits, 01 to 31), as in
// 2024-11-04, 2024.11.04 and unstable-2024-11-04, or one eight-digit
// component that does, as in 20241104. Months and days must have two
// digits, so calendar versions such as 2024.1.2 are not dates.
func dated(v string) bool {
	c := Split(v)
	for i := range c {
		if len(c[i]) == 8 && isDate(c[i][:4], c[i][4:6], c[i][6:]) {
			return true
		}
		if i+2 < len(c) && isDate(c[i], c[i+1], c[i+2]) {
			return true
		}
	}
	return false
}

// isDate reports whether y, m and d are a four-digit year, a two-digit
// month and a two-digit day.
func isDate(y, m, d string) bool {
	if len(y) != 4 || len(m) != 2 || len(d) != 2 || (y[:2] != "19" && y[:2] != "20") {
		return false
	}
	_, yNum := number(y)
	mm, mNum := number(m)
	dd, dNum := number(d)
	return yNum && mNum && dNum && 1 <= mm && mm <= 12 && 1 <= dd && dd <= 31
}
