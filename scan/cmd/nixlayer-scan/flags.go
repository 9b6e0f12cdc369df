package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

const usage = `Usage: nixlayer-scan [flags] IMAGE.tar|OCI-DIR
       nixlayer-scan [flags] --sbom FILE

Reports the OSV vulnerabilities of an image nixlayer built: the Nix
packages of its whole closure, from the SBOM inside it (by the source's
repository and tag, or the package's version, against OSV's GIT records;
with --online, a commit-only source by commit through osv.dev's API), and
the language packages in its store paths (Python, Node.js, Go and Rust,
through osv-scanner's image scanning). A vulnerability that a package's
patches name is suppressed. Every output says how many Nix packages have
a matchable source, and why the others have none. With --sbom and no
image, only the SBOM's Nix packages are matched.

Outputs pair --format with the -o that follows it; a format without -o goes
to standard output (at most one). The default is a markdown summary on
standard output:

  nixlayer-scan runtime.tar --format sarif -o results.sarif --format markdown -o summary.md

Exit status: 0 when no counted finding is at or above --fail-on, 1 when one
is, 2 for bad usage or input (nothing is written then).

Flags:
`

// flags are the parsed command line.
type flags struct {
	image, name, sbomFile, db, cache, ignore string
	failOn                                   scanner.Level
	// outputs are the outputs, in order; a file "" or "-" is standard
	// output.
	outputs []scanner.Output
	// exitZero keeps the exit status 0 above the threshold: the verdict is
	// then the JSON output's "failed", for callers that report first and
	// judge later (the Dagger module's ScanReport).
	exitZero bool
	// online asks osv.dev's API about commit-only sources.
	online bool
}

// errHelp is -h or --help: usage was printed.
var errHelp = errors.New("help")

// parseFlags reads the command line; getenv gives NIXLAYER_CACHE.
func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("nixlayer-scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.sbomFile, scanner.FlagSBOM, "", "read the SBOM from `FILE` instead of the image")
	fs.StringVar(&f.name, scanner.FlagName, "", "report the image as `NAME`, such as the reference or the build it came from (default: its path)")
	fs.StringVar(&f.db, scanner.FlagDB, "", "use the OSV databases in `DIR` (osv-scalibr/<Ecosystem>/all.zip), offline")
	fs.StringVar(&f.cache, scanner.FlagCache, getenv("NIXLAYER_CACHE"), "keep downloaded databases under `DIR` (env NIXLAYER_CACHE; default: the user cache directory)")
	fs.StringVar(&f.ignore, scanner.FlagIgnore, "", "an ignore `FILE` in osv-scanner.toml format ([[IgnoredVulns]] id, ignoreUntil, reason)")
	fs.BoolVar(&f.online, scanner.FlagOnline, false, "also ask osv.dev's API (api.osv.dev) about the Nix packages whose source is a commit and no tag, which the offline database cannot match")
	fs.BoolVar(&f.exitZero, scanner.FlagExitZero, false, "exit 0 even above --fail-on; the json output's \"failed\" says whether it failed")
	failOn := fs.String(scanner.FlagFailOn, scanner.DefaultThreshold.String(), "fail on a counted finding at or above `LEVEL`: "+scanner.ThresholdNames()+" (NONE never fails)")
	fs.Var(scanner.FormatFlag{Outputs: &f.outputs}, scanner.FlagFormat, "an output `FORMAT`: "+scanner.FormatNames()+" (repeatable)")
	fs.Var(scanner.FileFlag{Outputs: &f.outputs}, scanner.FlagOutput, "write the preceding --format to `FILE`")
	// Flags may come after the image too: parse again after each
	// argument that is not a flag.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stderr, usage)
				fs.SetOutput(stderr)
				fs.PrintDefaults()
				return nil, errHelp
			}
			return nil, usererr.Errorf("%s", strings.TrimSpace(err.Error()))
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	level, err := scanner.ParseThreshold(*failOn)
	if err != nil {
		return nil, usererr.Errorf("--fail-on: %w", err)
	}
	f.failOn = level
	switch {
	case len(positional) == 1:
		f.image = positional[0]
	case len(positional) == 0 && f.sbomFile != "":
		// An SBOM alone: its Nix packages only.
	default:
		return nil, usererr.Errorf("nixlayer-scan takes one image (an image archive or an OCI layout directory), or --sbom alone, got %d arguments; see --help", len(positional))
	}
	if len(f.outputs) == 0 {
		f.outputs = []scanner.Output{{Format: scanner.Markdown}}
	}
	stdout := 0
	for _, out := range f.outputs {
		if out.File == "" || out.File == "-" {
			stdout++
		}
	}
	if stdout > 1 {
		return nil, usererr.Errorf("%d outputs go to standard output; give each --format but one an -o FILE", stdout)
	}
	return f, nil
}
