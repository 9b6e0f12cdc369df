// Package scanner is the contract between nixlayer and nixlayer-scan, the
// scan module's program: the severity levels and the threshold that fails
// a scan, the output formats, nixlayer-scan's command line, and its JSON
// report. nixlayer-scan parses its flags by these names and writes its
// report with these types; the CLI's nixlayer scan, the Dagger module's
// scan plan and the nixpkgs update's scanner write its command line with
// Args and read its report as a Report, so that each fact of the contract
// has one owner.
//
//	level, err := scanner.ParseThreshold("high")
//	argv := scanner.Args{FailOn: level, DB: "osv", Outputs: []scanner.Output{{Format: scanner.JSON}}, Image: "runtime.tar"}.Argv()
//	var r scanner.Report
//	err = json.Unmarshal(stdout, &r)
//	for _, f := range r.Counted() { … }
//
// It is light (the standard library only), so that the Dagger module's
// root and the CLI import it without the scanner.
package scanner
