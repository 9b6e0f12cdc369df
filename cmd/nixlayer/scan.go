package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// ScannerEnv names the scanner, when it is neither beside nixlayer nor in
// PATH.
const ScannerEnv = container.ScannerEnv

// scanProgram is the program that scans, nixlayer-scan from the nested
// module scan/: $NIXLAYER_SCANNER, or nixlayer-scan beside this program,
// or in PATH.
func scanProgram() (string, error) {
	if p := os.Getenv(ScannerEnv); p != "" {
		return p, nil
	}
	if self, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(self), "nixlayer-scan"); isExecutable(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath("nixlayer-scan"); err == nil {
		return p, nil
	}
	return "", usererr.Errorf("scanning runs nixlayer-scan, which is not installed: build it with \"go build -C scan -o $(go env GOPATH)/bin/nixlayer-scan ./cmd/nixlayer-scan\" in nixlayer's source, or set %s", ScannerEnv)
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// exitError is a program that exited with a status, which nixlayer exits
// with too, the program having said why: the scanner (1 above the
// threshold, 2 for bad input), or a dev shell's command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exited with status %d", e.code) }

func newScanCmd(opts *options) *cobra.Command {
	var f imageFlags
	var kindName, sbomFile, db, ignore, failOn string
	var outs []scanner.Output
	var exitZero, online bool
	cmd := &cobra.Command{
		Use:   "scan IMAGE.tar|OCI-DIR | --kind devcontainer|runtime [--sets S]",
		Short: "Report the OSV vulnerabilities of an image, and fail above a threshold",
		Long: `Scan an image that nixlayer built, an archive or an OCI layout, or build one
of --kind first (with the flags of nixlayer build), and report its OSV
vulnerabilities: the Nix packages of its whole closure from the SBOM it
carries (matched by source repository, tag and commit, never by name), and
the Python, Node.js, Go and Rust packages in its store paths. A
vulnerability a package's patches name is suppressed, with the patch as
the reason.

Each --format takes the -o after it, in order (json, sarif, markdown,
cyclonedx); without -o it goes to standard output. The scan itself is
nixlayer-scan, from nixlayer's scan module, which this runs: beside
nixlayer, in PATH, or as $NIXLAYER_SCANNER.

Exit status: 0 when no finding that counts is at or above --fail-on, 1
when one is, 2 for bad input.`,
		Example: `  nixlayer scan runtime.tar --fail-on high --ignore osv-scanner.toml --format sarif -o results.sarif
  nixlayer scan --kind devcontainer --sets base,python --nixpkgs testdata/universe
  nixlayer scan runtime/ --db ./osv --format json -o findings.json --format markdown`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("nixlayer scan takes one image: an archive or an OCI layout directory")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			level, err := scanner.ParseThreshold(failOn)
			if err != nil {
				return usagef("--fail-on: %w", err)
			}
			bin, err := scanProgram()
			if err != nil {
				return err
			}
			var image, name string
			switch {
			case len(args) == 1 && kindName != "":
				return usagef("give an image to scan, or --kind to build one, not both")
			case len(args) == 1:
				image = args[0]
				if _, err := os.Stat(image); errors.Is(err, fs.ErrNotExist) {
					return usagef("scanning %s: no such file or directory", image)
				}
			case kindName != "":
				im, err := f.check(cmd, opts, kindName)
				if err != nil {
					return err
				}
				built, err := f.build(cmd, opts, im)
				if err != nil {
					return err
				}
				wd, err := atomic.WorkDir(os.TempDir())
				if err != nil {
					return fmt.Errorf("making a work directory: %w", err)
				}
				defer wd.RemoveAll()
				image = filepath.Join(wd.Path, "image")
				name = im.kind.Describe(im.spec, f.packages)
				if err := pipeline.Write(cmd.Context(), built, pipeline.Outputs{Layout: image, Tag: im.kind.DefaultTag()}, nil); err != nil {
					return err
				}
			default:
				return usagef("nixlayer scan needs an image (an archive or an OCI layout directory) or --kind")
			}
			sa := scanner.Args{FailOn: level, ExitZero: exitZero, Name: name, SBOM: sbomFile, DB: db, Ignore: ignore, Online: online, Outputs: outs, Image: image}
			if db == "" {
				sa.Cache = firstOf(f.cache, os.Getenv("NIXLAYER_CACHE"))
			}
			run := exec.CommandContext(cmd.Context(), bin, sa.Argv()...)
			run.Stdin, run.Stdout, run.Stderr = os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := run.Run(); err != nil {
				if ee, ok := errors.AsType[*exec.ExitError](err); ok {
					return exitError{ee.ExitCode()}
				}
				return fmt.Errorf("running %s: %w", bin, err)
			}
			return nil
		},
	}
	f.add(cmd, opts)
	fl := cmd.Flags()
	fl.StringVar(&kindName, "kind", "", "build an image of this kind (devcontainer or runtime) and scan it")
	fl.StringVar(&failOn, "fail-on", scanner.DefaultThreshold.String(), "fail on a finding at or above this level: "+scanner.ThresholdNames()+" (NONE never fails)")
	fl.StringVar(&ignore, "ignore", "", "an ignore file in osv-scanner.toml format ([[IgnoredVulns]] id, ignoreUntil, reason)")
	fl.StringVar(&db, "db", "", "use the OSV databases in this directory (osv-scalibr/<Ecosystem>/all.zip), offline")
	fl.StringVar(&sbomFile, "sbom", "", "read the SBOM from this file instead of the image")
	fl.Var(scanner.FormatFlag{Outputs: &outs}, "format", "an output: "+scanner.FormatNames()+" (repeat for several; default markdown)")
	fl.VarP(scanner.FileFlag{Outputs: &outs}, "output", "o", "the file of the --format before it")
	fl.BoolVar(&exitZero, "exit-zero", false, "exit 0 above --fail-on too; the json output's \"failed\" gives the verdict")
	fl.BoolVar(&online, "online", false, "also ask osv.dev's API about the Nix packages whose source is a commit and no tag, which the offline databases cannot match")
	return cmd
}
