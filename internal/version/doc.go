// Package version compares package versions as Nix does and says how far
// a version moved, for reports of what changed when the nixpkgs pin moves.
//
// # Nix's order
//
// Compare and Split are ports of builtins.compareVersions and
// builtins.splitVersion (Nix's names.cc). A version splits into runs of
// digits and runs of other characters; '.' and '-' only separate. Numbers
// compare as numbers, "pre" is older than anything, a missing component
// is older than anything but "pre", a number is newer than a word, and
// words compare byte by byte:
//
//	version.Split("2.39-52")                  // ["2" "39" "52"]
//	version.Compare("1.0", "1.0.1")           // -1
//	version.Compare("2.3a", "2.3.1")          // -1: a word is older than a number
//	version.Compare("1.0pre1", "1.0")         // -1: "pre" is older than the end
//	version.Compare("1.0.0-rc1", "1.0.0")     // 1: a word is newer than the end
//	version.Compare("10", "9")                // 1
//	version.Compare("1.0", "1.00")            // 0
//
// The integration test checks these results, and thousands of random
// pairs, against the nix on PATH.
//
// # Classes
//
// Classify(old, new) returns one Class:
//
//  1. Direction. When both versions are semver once a "v" is put in front
//     ("1.2" is "v1.2", "3.11.2" is "v3.11.2"; golang.org/x/mod/semver
//     decides), semver precedence orders them, except that two pre-release
//     tags compare as Compare compares versions (semver alone puts rc10
//     before rc2). Otherwise Compare orders them. Equal versions are Same
//     and an older new version is a Downgrade. The orders differ on
//     pre-releases: semver has 1.0.0-rc1 before 1.0.0, which Nix gets
//     backwards (its only pre-release word is "pre"), and semver has
//     1.2 equal to 1.2.0, and 1.99999999999 newer than 1.2.
//  2. Dates. An upgrade where either version holds a calendar date
//     (2024-11-04, 2024.11.04, unstable-2024-11-04, 20241104: a year, then
//     a two-digit month and day) is Other: a month is not a minor release.
//  3. Semver. Between semver versions, a changed major number is Major, a
//     changed minor number Minor, and anything else (patch number,
//     pre-release) Patch.
//  4. Components. Otherwise, a version that is empty or starts with a word
//     (unstable-…, r123) has no position to name, and the class is Other.
//     Else the first components that differ decide, a missing one counting
//     as 0: two numbers give Major at index 0, Minor at index 1 and Patch
//     at index 2 or more; a word on either side (a letter suffix, "pre",
//     "rc"), or any change after a word, gives Patch.
//
// For example:
//
//	old                  new                  class
//	1.0                  1.0.1                patch (semver)
//	3.11.2               3.12.0               minor (semver)
//	22.11.0              23.0.0               major (semver)
//	9                    10                   major (semver)
//	1.0.0-rc1            1.0.0                patch (semver)
//	2.3a                 2.3.1                patch (component 2)
//	1.1.1w               1.1.1x               patch (a letter)
//	2.39-52              2.39-53              patch (component 2)
//	1.0pre1              1.0                  patch ("pre")
//	unstable-2024-01-01  unstable-2024-02-01  other (a date)
//	r123                 r124                 other (a word first)
//	1.0pre1              1.0pre2              patch (after a word)
//	5.15.0-rc2           5.15.0-rc10          patch (semver, Nix tags)
//	2024-11-04           2024-12-02           other (a date)
//	""                   1                    other (empty)
//	1.2.3                1.2.3                same
//	10                   9                    downgrade
//
// The package does no I/O.
package version
