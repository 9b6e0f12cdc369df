package match

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"

	"github.com/nixlayer/nixlayer/internal/scanner"
)

// gitConfidence says why a GIT match m of a record with package p may be
// wrong, or returns "" when nothing says so.
//
// OSV's converted CVE records often open their GIT ranges at
// "introduced: 0" (the introducing commit is unknown) and list every tag
// before the fix commit, on every branch, as affected versions. Such a
// match is checked against the record's own version bounds: the SEMVER
// and ECOSYSTEM ranges of the affected entry, and the version ranges that
// osv.dev keeps in its database_specific "unresolved_ranges" when it could
// not turn them into commits. When the record has such bounds and none of
// them includes the package's version, the match is inconsistent with it
// and low-confidence. A bounded GIT range that lists the tag, or a record
// with no version bounds at all, leaves the match confident.
func gitConfidence(m gitMatch, p scanner.Package) string {
	reason := ""
	for _, a := range m.entries {
		if !slices.ContainsFunc(gitRanges(a), opensAtZero) {
			return ""
		}
		bounds := versionBounds(a)
		if len(bounds) == 0 || slices.ContainsFunc(bounds, func(b []event) bool { return rangeContains(b, p.Version) }) {
			return ""
		}
		if reason == "" {
			reason = fmt.Sprintf("matched by an introduced: 0 GIT range listing %s %s, but the record's version range %s excludes version %s",
				m.by, m.listed, describe(bounds), p.Version)
		}
	}
	return reason
}

func opensAtZero(r *osvpb.Range) bool {
	return slices.ContainsFunc(r.GetEvents(), func(e *osvpb.Event) bool { return e.GetIntroduced() == "0" })
}

// event is one event of a version range.
type event struct{ kind, version string }

// versionBounds are the version ranges of an affected entry: its SEMVER
// and ECOSYSTEM ranges, then its database_specific unresolved_ranges.
func versionBounds(a *osvpb.Affected) [][]event {
	var out [][]event
	for _, r := range a.GetRanges() {
		if r.GetType() != osvpb.Range_SEMVER && r.GetType() != osvpb.Range_ECOSYSTEM {
			continue
		}
		var evs []event
		for _, e := range r.GetEvents() {
			for _, ev := range []event{{"introduced", e.GetIntroduced()}, {"fixed", e.GetFixed()}, {"last_affected", e.GetLastAffected()}} {
				if ev.version != "" {
					evs = append(evs, ev)
				}
			}
		}
		if len(evs) > 0 {
			out = append(out, evs)
		}
	}
	ds := a.GetDatabaseSpecific()
	if ds == nil {
		return out
	}
	for _, r := range ds.GetFields()["unresolved_ranges"].GetListValue().GetValues() {
		var evs []event
		for _, e := range r.GetStructValue().GetFields()["events"].GetListValue().GetValues() {
			for kind, val := range e.GetStructValue().GetFields() {
				if s := val.GetStringValue(); s != "" && (kind == "introduced" || kind == "fixed" || kind == "last_affected") {
					evs = append(evs, event{kind, s})
				}
			}
		}
		if len(evs) > 0 {
			out = append(out, evs)
		}
	}
	return out
}

// rangeContains reports whether version v is in the range of events, read
// as OSV reads a range: in version order, an introduced event opens it, a
// fixed event closes it at that version, a last_affected after it.
func rangeContains(evs []event, v string) bool {
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(a, b event) int {
		switch {
		case a.version == "0" && b.version != "0":
			return -1
		case b.version == "0" && a.version != "0":
			return 1
		}
		return compareVersions(trimTagPrefix(a.version), trimTagPrefix(b.version))
	})
	v = trimTagPrefix(v)
	in := false
	for _, e := range evs {
		c := compareVersions(v, trimTagPrefix(e.version))
		switch e.kind {
		case "introduced":
			if e.version == "0" || c >= 0 {
				in = true
			}
		case "fixed":
			if c >= 0 {
				in = false
			}
		case "last_affected":
			if c > 0 {
				in = false
			}
		}
	}
	return in
}

// describe writes version ranges for people, such as "[1.2.0, 1.2.12)".
func describe(bounds [][]event) string {
	var parts []string
	for _, evs := range bounds {
		var lo, hi string
		for _, e := range evs {
			switch e.kind {
			case "introduced":
				lo = "[" + e.version
			case "fixed":
				hi = e.version + ")"
			case "last_affected":
				hi = e.version + "]"
			}
		}
		parts = append(parts, cmp.Or(lo, "[0")+", "+cmp.Or(hi, "…)"))
	}
	return strings.Join(parts, " or ")
}
