package github

import (
	"cmp"
	"fmt"
	"slices"
)

// Release is a stable NixOS release, named by its year and month, such as
// 26.05, whose channel branch nixos-26.05-small this package looks for.
type Release struct {
	// Year is the year within the century: 26 for 2026.
	Year int
	// Month is the month of the release, 1 to 12.
	Month int
}

// branchPrefix and branchSuffix frame a release in a branch name.
const (
	branchPrefix = "nixos-"
	branchSuffix = "-small"
)

// ParseBranch returns the release of a branch named nixos-YY.MM-small,
// with two digits each for the year and for a month from 01 to 12. Any
// other name, such as nixos-unstable-small, nixos-26.05 (not -small) or
// nixos-26.5-small, gives false.
func ParseBranch(name string) (Release, bool) {
	const n = len(branchPrefix) + len("YY.MM") + len(branchSuffix)
	if len(name) != n || name[:len(branchPrefix)] != branchPrefix || name[n-len(branchSuffix):] != branchSuffix {
		return Release{}, false
	}
	v := name[len(branchPrefix) : n-len(branchSuffix)]
	year, okY := twoDigits(v[0:2])
	month, okM := twoDigits(v[3:5])
	if !okY || !okM || v[2] != '.' || month < 1 || month > 12 {
		return Release{}, false
	}
	return Release{Year: year, Month: month}, true
}

// twoDigits returns the value of two ASCII digits.
func twoDigits(s string) (int, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// String returns the release as YY.MM, such as 26.05.
func (r Release) String() string { return fmt.Sprintf("%02d.%02d", r.Year, r.Month) }

// Branch returns the name of the release's small channel branch, such as
// nixos-26.05-small.
func (r Release) Branch() string { return branchPrefix + r.String() + branchSuffix }

// Compare returns -1, 0 or 1 as r is older than, the same as or newer than
// o.
func (r Release) Compare(o Release) int {
	return cmp.Or(cmp.Compare(r.Year, o.Year), cmp.Compare(r.Month, o.Month))
}

// Newest returns the newest release branch among branches, ignoring the
// names that ParseBranch refuses, and whether it is newer than current. It
// returns "" and false when branches holds no release branch, and newer is
// false when current is not a release branch itself (check it with
// ParseBranch first).
func Newest(current string, branches []string) (branch string, newer bool) {
	var best Release
	found := false
	for _, b := range branches {
		if r, ok := ParseBranch(b); ok && (!found || r.Compare(best) > 0) {
			best, found = r, true
		}
	}
	if !found {
		return "", false
	}
	cur, ok := ParseBranch(current)
	return best.Branch(), ok && best.Compare(cur) > 0
}

// releaseBranches returns the release branches among names, oldest first.
func releaseBranches(names []string) []string {
	var rs []Release
	for _, n := range names {
		if r, ok := ParseBranch(n); ok {
			rs = append(rs, r)
		}
	}
	slices.SortFunc(rs, Release.Compare)
	rs = slices.Compact(rs)
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Branch()
	}
	return out
}
