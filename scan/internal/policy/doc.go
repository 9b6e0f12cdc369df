// Package policy decides what a finding weighs: its severity, from the
// record's CVSS vector or its database's own rating, whether an ignore
// entry of an osv-scanner.toml file covers it, and whether it reaches the
// threshold that fails a scan.
//
//	level, _ := policy.ParseLevel("high")
//	sev := policy.SeverityOf(record)
//	fails := sev.Level.Fails(level)
package policy
