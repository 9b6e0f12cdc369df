// Package report writes a scan's findings for people and for tools: OSV
// JSON results, SARIF 2.1.0 for GitHub code scanning, and a markdown
// summary for job summaries and pull requests. Each writer renders into
// memory, so that a scan writes every output whole or none. The JSON
// output is the root's scanner.Report, which nixlayer's callers read,
// with the coverage and the warnings after it.
//
//	data, _ := report.Render(scanner.SARIF, scan)
package report
