package changes

import (
	"cmp"
	"slices"

	"github.com/nixlayer/nixlayer/internal/scanner"
)

// Finding is one vulnerability of one package at one pin.
type Finding struct {
	// ID is the vulnerability's identifier, such as CVE-2024-5535.
	ID       string        `json:"id"`
	Severity scanner.Level `json:"severity"`
	// Attr is the catalog attribute, and Package and Version the package
	// and version the scanner matched.
	Attr    string `json:"attr"`
	Package string `json:"package,omitempty"`
	Version string `json:"version,omitempty"`
}

// key identifies a finding across pins: the same vulnerability in the
// same attribute, whatever its version.
func (f Finding) key() string { return f.ID + "\x00" + f.Attr }

// Vulnerabilities is what the update does to the scanner's findings.
type Vulnerabilities struct {
	// Threshold is the level the gate counts from.
	Threshold scanner.Level `json:"threshold"`
	// Fixed are the findings of the old pin that the new one lacks, and
	// Introduced the new pin's that the old one lacks, most severe first.
	Fixed      []Finding `json:"fixed"`
	Introduced []Finding `json:"introduced"`
	// Old and New count each pin's findings by severity.
	Old map[scanner.Level]int `json:"old"`
	New map[scanner.Level]int `json:"new"`
}

// CompareFindings compares the findings of the old and the new pin.
func CompareFindings(old, new []Finding, threshold scanner.Level) *Vulnerabilities {
	v := &Vulnerabilities{Threshold: threshold, Fixed: []Finding{}, Introduced: []Finding{}, Old: count(old), New: count(new)}
	v.Fixed = minus(old, new)
	v.Introduced = minus(new, old)
	return v
}

// AtOrAbove counts the findings of one pin's counts at or above the
// threshold, as a scan counts those that fail it: an unrated (UNKNOWN)
// finding at any threshold, and none at NONE.
func (v *Vulnerabilities) AtOrAbove(counts map[scanner.Level]int) int {
	n := 0
	for s, c := range counts {
		if s.Fails(v.Threshold) {
			n += c
		}
	}
	return n
}

// Raises reports whether the new pin has more findings at or above the
// threshold than the old one: what --fail-if-new-vulns refuses.
func (v *Vulnerabilities) Raises() bool { return v.AtOrAbove(v.New) > v.AtOrAbove(v.Old) }

func count(fs []Finding) map[scanner.Level]int {
	m := map[scanner.Level]int{}
	for _, f := range fs {
		m[f.Severity]++
	}
	return m
}

// minus returns the findings of a whose key b lacks, most severe first,
// then by ID and attribute.
func minus(a, b []Finding) []Finding {
	in := map[string]bool{}
	for _, f := range b {
		in[f.key()] = true
	}
	out := []Finding{}
	for _, f := range a {
		if !in[f.key()] {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(x, y Finding) int {
		return cmp.Or(-cmp.Compare(x.Severity, y.Severity), cmp.Compare(x.ID, y.ID), cmp.Compare(x.Attr, y.Attr))
	})
	return slices.CompactFunc(out, func(x, y Finding) bool { return x.key() == y.key() })
}
