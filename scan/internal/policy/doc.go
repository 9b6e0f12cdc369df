// Package policy decides what a finding weighs: its severity, from the
// record's CVSS vector or its database's own rating, and whether an
// ignore entry of an osv-scanner.toml file covers it. The levels, and the
// rule by which a level reaches the threshold that fails a scan, are the
// contract with nixlayer's callers, in the root's internal/scanner.
//
//	level, _ := scanner.ParseThreshold("high")
//	sev := policy.SeverityOf(record)
//	fails := sev.Level.Fails(level)
package policy
