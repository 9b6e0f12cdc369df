package version

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pairs is the table of version pairs: what Compare(old, new) returns and
// how Classify(old, new) classes the move. The integration test checks
// every Compare result here against real Nix.
var pairs = []struct {
	old, new string
	cmp      int
	class    Class
}{
	{"1.0", "1.0.1", -1, Patch},
	{"1.0.1", "1.0", 1, Downgrade},
	{"2.3a", "2.3.1", -1, Patch},
	{"2.3.1", "2.3a", 1, Downgrade},
	{"1.1.1w", "1.1.1x", -1, Patch},
	{"2.39-52", "2.39-53", -1, Patch},
	{"unstable-2024-01-01", "unstable-2024-02-01", -1, Other},
	{"unstable-2024-02-01", "unstable-2024-01-01", 1, Downgrade},
	{"0-unstable-2024-01-01", "0-unstable-2024-02-01", -1, Other},
	{"0-unstable-2024", "0-unstable-2025", -1, Patch},
	{"1.0pre1", "1.0", -1, Patch},
	{"1.0", "1.0pre1", 1, Downgrade},
	{"1.0pre1", "1.0pre2", -1, Patch},
	{"10", "9", 1, Downgrade},
	{"9", "10", -1, Major},
	{"", "1", -1, Other},
	{"1", "", 1, Downgrade},
	{"", "", 0, Same},
	{"1.2.3", "1.2.3", 0, Same},
	{"3.11.2", "3.12.0", -1, Minor},
	{"22.11.0", "23.0.0", -1, Major},
	{"0.56.3", "0.56.4", -1, Patch},
	{"2024-11-04", "2024-12-02", -1, Other},
	{"2024.11.04", "2024.12.02", -1, Other},
	{"2024.11.14", "2024.12.14", -1, Other}, // semver-shaped, but a date
	{"20241104", "20241202", -1, Other},
	{"2024.1.2", "2024.1.3", -1, Patch}, // a calendar version, not a date
	{"2024.1", "2024.2", -1, Minor},
	{"2023.2", "2024.1", -1, Major},
	{"1.0", "1.0.0", -1, Same},       // equal as semver, not in Nix
	{"1.0.0-rc1", "1.0.0", 1, Patch}, // semver and Nix disagree
	{"1.0.0-rc.1", "1.0.0-rc.2", -1, Patch},
	{"1.0rc1", "1.0", 1, Downgrade}, // not semver: Nix's order
	{"1", "1.1", -1, Minor},
	{"1", "2", -1, Major},
	{"1.2", "1.10", -1, Minor},
	{"1.02", "1.2", 0, Same},
	{"1.02.0", "1.2.1", -1, Patch}, // not semver (leading zero)
	{"1.0", "1.00", 0, Same},
	{"1.0.", "1.0", 0, Same},
	{"1..0", "1.0", 0, Same},
	{"1.0", "1.0a", -1, Patch},
	{"1a", "1b", -1, Patch},
	{"1", "1.0.1a", -1, Patch},
	{"1.0.0", "1.0.0.1", -1, Patch},
	{"unstable-2024-01-01", "1.0", -1, Other},
	{"1.2.3-1", "1.2.3", 1, Patch}, // semver and Nix disagree
	{"1.2.3+b1", "1.2.3+b2", -1, Same},
	{"1a", "2a", -1, Major},
	{"1.2a", "1.3", -1, Minor},
	{"a1", "a2", -1, Other},
	{"r123", "r124", -1, Other},
	{"1.2.3-4", "1.2.3-5", -1, Patch},
	{"5.15.0-rc2", "5.15.0-rc10", -1, Patch}, // semver alone has rc10 first
	{"5.15.0-rc10", "5.15.0-rc2", 1, Downgrade},
	{"5.15-rc2", "5.15-rc10", -1, Patch},
	{"1.0pre", "1.0", -1, Patch},
	{"1.0alpha", "1.0pre", 1, Downgrade},
	{"1.99999999999", "1.2", -1, Downgrade},  // an overflowing number is a word to Nix, not to semver
	{"1.2.99999999999", "1.2.3a", -1, Patch}, // not semver: Nix reads a word
	{"1.2147483647", "1.2147483648", 1, Minor},
	{"1.2147483647a", "1.2147483648a", 1, Downgrade},
	{"1.0é", "1.0a", 1, Downgrade}, // bytes compare unsigned
	{"1.0_1", "1.0+1", 1, Downgrade},
}

func TestCompare(t *testing.T) {
	for _, p := range pairs {
		if got := Compare(p.old, p.new); got != p.cmp {
			t.Errorf("Compare(%q, %q) = %d, want %d", p.old, p.new, got, p.cmp)
		}
		if got := Compare(p.new, p.old); got != -p.cmp {
			t.Errorf("Compare(%q, %q) = %d, want %d", p.new, p.old, got, -p.cmp)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, p := range pairs {
		if got := Classify(p.old, p.new); got != p.class {
			t.Errorf("Classify(%q, %q) = %q, want %q", p.old, p.new, got, p.class)
		}
	}
}

// splits is the table for Split; the integration test checks it, too.
var splits = []struct {
	v    string
	want []string
}{
	{"", nil},
	{".-.", nil},
	{"1.0pre1", []string{"1", "0", "pre", "1"}},
	{"2.39-52", []string{"2", "39", "52"}},
	{"unstable-2024-01-01", []string{"unstable", "2024", "01", "01"}},
	{"1.1.1w", []string{"1", "1", "1", "w"}},
	{"2.3a", []string{"2", "3", "a"}},
	{"-1..2-", []string{"1", "2"}},
	{"1.0_rc+1", []string{"1", "0", "_rc+", "1"}},
	{"v1.2.3", []string{"v", "1", "2", "3"}},
	{"1.0é2", []string{"1", "0", "é", "2"}},
}

func TestSplit(t *testing.T) {
	for _, s := range splits {
		if diff := cmp.Diff(s.want, Split(s.v)); diff != "" {
			t.Errorf("Split(%q) (-want +got):\n%s", s.v, diff)
		}
	}
}

// TestSemverPositions checks that, between semver versions, the semver
// rule and the component rule name the same position, so that the two
// branches of Classify agree wherever both could apply.
func TestSemverPositions(t *testing.T) {
	versions := []string{"0.1", "0.1.0", "1", "1.0", "1.0.1", "1.1", "1.1.0", "1.2.3",
		"1.2.3-rc.1", "1.2.3-rc.2", "1.2.4", "1.3.0-beta", "2.0.0", "2", "10.0.0", "1.2.3-1"}
	for _, a := range versions {
		for _, b := range versions {
			so, sn, ok := semverPair(a, b)
			if !ok {
				t.Fatalf("%q or %q is not semver", a, b)
			}
			if c := Classify(a, b); c != Same && c != Downgrade {
				if p := position(a, b); p != c {
					t.Errorf("%s → %s: semver gives %q, components give %q", so, sn, c, p)
				}
			}
		}
	}
}
