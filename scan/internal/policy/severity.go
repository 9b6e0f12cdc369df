package policy

import (
	"strings"

	cvss20 "github.com/pandatix/go-cvss/20"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"

	"github.com/nixlayer/nixlayer/internal/scanner"
)

// SeverityOf rates a record: the highest CVSS base score among its
// vectors (the record's, then its affected entries'), computed from the
// vector; else its database_specific "severity" (GitHub's LOW, MODERATE,
// HIGH, CRITICAL); else the highest of its affected entries'
// ecosystem_specific "severity", as OSS-Fuzz rates its records (LOW,
// MEDIUM, HIGH, CRITICAL; null when unrated); else Unknown.
func SeverityOf(v *osvpb.Vulnerability) scanner.Severity {
	best := scanner.Severity{}
	consider := func(sevs []*osvpb.Severity) {
		for _, s := range sevs {
			score, ok := baseScore(s.GetScore())
			if ok && (best.From == "" || score > best.Score) {
				best = scanner.Severity{Level: FromScore(score), Score: score, Vector: s.GetScore(), From: "cvss"}
			}
		}
	}
	consider(v.GetSeverity())
	for _, a := range v.GetAffected() {
		consider(a.GetSeverity())
	}
	if best.From != "" {
		return best
	}
	if ds := v.GetDatabaseSpecific(); ds != nil {
		if f, ok := ds.GetFields()["severity"]; ok {
			if l, ok := databaseLevel(f.GetStringValue()); ok {
				return scanner.Severity{Level: l, From: "database"}
			}
		}
	}
	for _, a := range v.GetAffected() {
		if es := a.GetEcosystemSpecific(); es != nil {
			if l, ok := databaseLevel(es.GetFields()["severity"].GetStringValue()); ok && (best.From == "" || l > best.Level) {
				best = scanner.Severity{Level: l, From: "database"}
			}
		}
	}
	return best
}

// baseScore computes the base score of a CVSS vector of any version.
func baseScore(vector string) (float64, bool) {
	switch {
	case strings.HasPrefix(vector, "CVSS:4.0/"):
		c, err := cvss40.ParseVector(vector)
		if err != nil {
			return 0, false
		}
		return c.Score(), true
	case strings.HasPrefix(vector, "CVSS:3.1/"):
		c, err := cvss31.ParseVector(vector)
		if err != nil {
			return 0, false
		}
		return c.BaseScore(), true
	case strings.HasPrefix(vector, "CVSS:3.0/"):
		c, err := cvss30.ParseVector(vector)
		if err != nil {
			return 0, false
		}
		return c.BaseScore(), true
	case strings.HasPrefix(vector, "AV:"):
		c, err := cvss20.ParseVector(vector)
		if err != nil {
			return 0, false
		}
		return c.BaseScore(), true
	}
	return 0, false
}

// FromScore rates a CVSS base score: 0 is NONE, below 4 LOW, below 7
// MEDIUM, below 9 HIGH, and CRITICAL above.
func FromScore(score float64) scanner.Level {
	switch {
	case score <= 0:
		return scanner.None
	case score < 4:
		return scanner.Low
	case score < 7:
		return scanner.Medium
	case score < 9:
		return scanner.High
	}
	return scanner.Critical
}

// databaseLevel reads a database's own rating.
func databaseLevel(s string) (scanner.Level, bool) {
	switch strings.ToUpper(s) {
	case "LOW":
		return scanner.Low, true
	case "MODERATE", "MEDIUM":
		return scanner.Medium, true
	case "HIGH":
		return scanner.High, true
	case "CRITICAL":
		return scanner.Critical, true
	}
	return scanner.Unknown, false
}
