package version

import (
	"strings"
	"testing"
)

// FuzzCompare checks that Compare is a total preorder (reflexive,
// antisymmetric, transitive), that it agrees with comparing the Split
// components, that Split loses nothing but separators, and that Classify
// gives the reverse of a move in the other direction.
func FuzzCompare(f *testing.F) {
	for _, p := range pairs {
		f.Add(p.old, p.new, p.old+".1")
	}
	f.Add("1.0pre1", "1.0", "1.0.1")
	f.Add("2147483648", "1", "")
	f.Add("pre", "", "a")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		if got := Compare(a, a); got != 0 {
			t.Errorf("Compare(%q, %q) = %d", a, a, got)
		}
		ab, ba := Compare(a, b), Compare(b, a)
		if ab != -ba || ab < -1 || ab > 1 {
			t.Errorf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		bc, ac := Compare(b, c), Compare(a, c)
		if ab <= 0 && bc <= 0 && ac > 0 || ab >= 0 && bc >= 0 && ac < 0 || ab == 0 && bc == 0 && ac != 0 {
			t.Errorf("not transitive: Compare(a, b) = %d, Compare(b, c) = %d, Compare(a, c) = %d for %q, %q, %q", ab, bc, ac, a, b, c)
		}
		if got := compareSplit(Split(a), Split(b)); got != ab {
			t.Errorf("Compare(%q, %q) = %d, but their components compare as %d", a, b, ab, got)
		}
		checkSplit(t, a)

		fwd, back := Classify(a, b), Classify(b, a)
		switch {
		case fwd == Same || back == Same:
			if fwd != back {
				t.Errorf("Classify(%q, %q) = %q but Classify(%q, %q) = %q", a, b, fwd, b, a, back)
			}
		case (fwd == Downgrade) == (back == Downgrade):
			t.Errorf("Classify(%q, %q) = %q and Classify(%q, %q) = %q: one must be a downgrade", a, b, fwd, b, a, back)
		}
	})
}

// compareSplit compares two component lists as Compare compares versions,
// padding the shorter with empty components.
func compareSplit(a, b []string) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var ca, cb string
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		if less(ca, cb) {
			return -1
		}
		if less(cb, ca) {
			return 1
		}
	}
	return 0
}

// checkSplit checks that the components of v are non-empty, each all
// digits or all other non-separators, that two neighbours without a
// separator between them are of different kinds, and that together they
// are v without its separators.
func checkSplit(t *testing.T, v string) {
	t.Helper()
	parts := Split(v)
	stripped := strings.NewReplacer(".", "", "-", "").Replace(v)
	if strings.Join(parts, "") != stripped {
		t.Errorf("Split(%q) = %q, which does not join to %q", v, parts, stripped)
	}
	for _, p := range parts {
		if p == "" || strings.ContainsAny(p, ".-") {
			t.Errorf("Split(%q) has component %q", v, p)
		}
		digits := strings.Trim(p, "0123456789") == ""
		others := !strings.ContainsAny(p, "0123456789")
		if !digits && !others {
			t.Errorf("Split(%q) has mixed component %q", v, p)
		}
	}
}
