package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/clispec"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/github"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
	nixpkgsupdate "github.com/nixlayer/nixlayer/internal/update"
)

// githubAPIEnv points update-nixpkgs' listing of release branches at
// another API, such as a test's (the hidden --github-api).
const githubAPIEnv = "NIXLAYER_GITHUB_API"

// updateFlags are update-nixpkgs' flags.
type updateFlags struct {
	flake, to, report, json, out string
	bumpRelease, failIfNewVulns  bool
	cache, catalogStore          string
	githubAPI                    string
	// noScan, scanDB, scanCache and failOn are the vulnerability scan's.
	noScan                    bool
	scanDB, scanCache, failOn string
}

func newUpdateNixpkgsCmd(opts *options) *cobra.Command {
	var f updateFlags
	cmd := &cobra.Command{
		Use:   clispec.CommandUpdateNixpkgs + " [--flake nix] [--to REV | --bump-release] [--report CHANGES.md] [--json changes.json]",
		Short: "Move the nixpkgs pin, and report what the move changes",
		Long: `Move the nixpkgs input of nixlayer's flake (--flake, the directory of
flake.nix and flake.lock) to the head of its branch, with Nix itself (nix
flake lock --update-input nixpkgs, or nix flake update nixpkgs on Nix 2.19
and later), or to the commit --to names. With --bump-release, the input
first moves to the newest stable release branch (nixos-YY.MM-small) that
GitHub's API lists, when it is newer than the input's; GITHUB_TOKEN, when
set, raises the API's rate limit. The update is refused when Nix changes
any node of the lock but nixpkgs'.

The report compares both pins: the catalog packages whose version changes
(major, minor, patch or other), the attributes added and removed, each
set's closure size, and for each standard image the compressed bytes of
the store layers that its users pull again (only those are compressed,
into the cache, --cache). --report writes it as markdown for a pull
request's body (cut under GitHub's 65,536 characters, saying what was cut),
--json as JSON; with neither, the markdown goes to standard output.

Nothing is written unless everything succeeded: then flake.lock (and, for a
release bump, flake.nix) are replaced, each atomically, and the reports
written. An update that moves nothing says that nixpkgs is already at the
newest revision, and exits 0.

When nixlayer-scan is installed (as for nixlayer scan), the report also
compares the OSV vulnerabilities of both pins' catalogs, matched by source
as in the scan of an image's SBOM: the findings fixed and introduced, by
severity. --fail-if-new-vulns refuses an update (exit 1, nothing written)
that raises the number of findings at or above --fail-on.`,
		Example: `  nixlayer update-nixpkgs --flake nix --report CHANGES.md --json changes.json
  nixlayer update-nixpkgs --flake nix --bump-release
  nixlayer update-nixpkgs --flake nix --to 74cc63f702f7d60a557e152a57b40fb1fd0f72ac`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.check(cmd, opts)
			if err != nil {
				return err
			}
			res, err := nixpkgsupdate.Run(cmd.Context(), *o)
			if err != nil {
				return err
			}
			if err := res.Write(nixpkgsupdate.Files{Dir: f.out, Markdown: f.report, JSON: f.json}); err != nil {
				return err
			}
			out := changes.Summary(res.Report)
			if f.report == "" && f.json == "" {
				out = changes.Markdown(res.Report, changes.PullRequestLimit)
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), out)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.flake, clispec.FlagFlake, "nix", "the flake directory, with flake.nix and flake.lock")
	fl.StringVar(&f.to, clispec.FlagTo, "", "lock nixpkgs to this commit (40 hexadecimal digits) of its branch, instead of the branch's head")
	fl.BoolVar(&f.bumpRelease, clispec.FlagBumpRelease, false, "move to the newest stable release branch (nixos-YY.MM-small) first, when there is a newer one")
	fl.StringVar(&f.report, clispec.FlagReport, "", "write the report as markdown for a pull request's body, such as CHANGES.md")
	fl.StringVar(&f.json, clispec.FlagJSON, "", "write the report as JSON, such as changes.json")
	fl.BoolVar(&f.failIfNewVulns, clispec.FlagFailIfNewVulns, false, "refuse the update (exit 1, nothing written) when it raises the vulnerabilities at or above --fail-on")
	fl.StringVar(&f.failOn, clispec.FlagFailOn, scanner.DefaultThreshold.String(), "the level --fail-if-new-vulns counts findings from, as nixlayer scan's: "+scanner.ThresholdNames()+" (NONE never refuses)")
	fl.BoolVar(&f.noScan, clispec.FlagNoScan, false, "do not scan the pins for vulnerabilities")
	fl.StringVar(&f.scanDB, clispec.FlagDB, "", "scan with the OSV databases in this directory (osv-scalibr/<Ecosystem>/all.zip), offline")
	fl.StringVar(&f.scanCache, clispec.FlagScanCache, "", "keep the downloaded OSV databases under this directory (default: --cache)")
	fl.StringVar(&f.cache, clispec.FlagCache, "", "the blob and catalog cache directory (env NIXLAYER_CACHE; default: the user cache directory)")
	fl.StringVar(&f.catalogStore, clispec.FlagCatalogStore, "", "read the catalogs' closures from this binary cache, such as https://cache.nixos.org, instead of building both catalogs")
	fl.StringVar(&opts.store, "store", "", "the Nix store to use, such as a chroot store /tmp/store (env NIXLAYER_STORE)")
	fl.BoolVarP(&opts.quiet, "quiet", "q", false, "do not print progress")
	fl.BoolVarP(&opts.verbose, "verbose", "v", false, "print Nix's own messages as they come")
	fl.StringVar(&f.out, clispec.FlagOut, "", "write the new flake.nix and flake.lock into this directory (made when missing) instead of over --flake")
	fl.StringVar(&f.githubAPI, "github-api", "", "GitHub's REST API, for --bump-release (env "+githubAPIEnv+"; default "+github.DefaultBaseURL+")")
	for _, hidden := range []string{clispec.FlagOut, "github-api", clispec.FlagScanCache} {
		_ = fl.MarkHidden(hidden)
	}
	return cmd
}

// check checks the flags before any long work, and returns the update's
// options.
func (f *updateFlags) check(cmd *cobra.Command, opts *options) (*nixpkgsupdate.Options, error) {
	if f.to != "" && f.bumpRelease {
		return nil, usagef("give --to or --bump-release, not both: --to names a commit of the input's branch")
	}
	if fi, err := os.Stat(f.flake); err != nil || !fi.IsDir() {
		return nil, usagef("--flake %s: not a directory; give the directory of flake.nix and flake.lock, such as nix", f.flake)
	}
	if f.out != "" {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			return nil, usagef("--out %s: %w", f.out, err)
		}
		if err := writableDir("--out", filepath.Join(f.out, nixpkgsupdate.LockFile)); err != nil {
			return nil, err
		}
	}
	for _, out := range []struct{ flag, file string }{{"--report", f.report}, {"--json", f.json}} {
		if out.file == "" {
			continue
		}
		atomic.Sweep(filepath.Dir(out.file), filepath.Base(out.file))
		if fi, err := os.Stat(out.file); err == nil && fi.IsDir() {
			return nil, usagef("%s %s: it is a directory; give the path of a file", out.flag, out.file)
		}
		if err := writableDir(out.flag, out.file); err != nil {
			return nil, err
		}
	}
	cache, err := cacheDir(f.cache)
	if err != nil {
		return nil, err
	}
	host, err := platform.Host()
	if err != nil {
		return nil, usageError{err}
	}
	d := &nix.Driver{Store: firstOf(opts.store, os.Getenv("NIXLAYER_STORE")), Verbose: opts.verbose, Probe: &nix.SubstituterProbe{}}
	o := &nixpkgsupdate.Options{
		Flake: f.flake, To: f.to, BumpRelease: f.bumpRelease,
		GitHub:   &github.Client{BaseURL: firstOf(f.githubAPI, os.Getenv(githubAPIEnv)), Token: os.Getenv(container.GitHubTokenEnv)},
		Driver:   d,
		System:   host.System,
		Catalog:  catalog.Source{Store: f.catalogStore},
		CacheDir: cache, Tmp: os.TempDir(),
		FailIfNewVulns: f.failIfNewVulns,
	}
	if !opts.quiet {
		d.Progress = cmd.ErrOrStderr()
		o.Progress = cmd.ErrOrStderr()
	}
	if err := f.useScanner(cmd, o, cache); err != nil {
		return nil, err
	}
	if err := d.Installed(); err != nil {
		return nil, err
	}
	return o, nil
}

// useScanner sets the update's vulnerability scanner and threshold: the
// installed nixlayer-scan, unless --no-scan. Without it, the update goes on
// without vulnerabilities, unless --fail-if-new-vulns needs them.
func (f *updateFlags) useScanner(cmd *cobra.Command, o *nixpkgsupdate.Options, cache cachedir.Dir) error {
	level, err := scanner.ParseThreshold(f.failOn)
	if err != nil {
		return usagef("--fail-on: %w", err)
	}
	o.Threshold = level
	if f.noScan {
		if f.failIfNewVulns {
			return usagef("--fail-if-new-vulns needs the vulnerability scan that --no-scan turns off")
		}
		return nil
	}
	bin, err := scanProgram()
	if err != nil {
		if f.failIfNewVulns {
			return err
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "nixlayer-scan is not installed, so the report has no vulnerabilities (see nixlayer scan --help)\n")
		}
		return nil
	}
	args := scanner.Args{Cache: firstOf(f.scanCache, string(cache))}
	if f.scanDB != "" {
		if fi, err := os.Stat(f.scanDB); err != nil || !fi.IsDir() {
			return usagef("--db %s: not a directory; give the directory of the OSV databases (osv-scalibr/<Ecosystem>/all.zip)", f.scanDB)
		}
		args = scanner.Args{DB: f.scanDB}
	}
	o.Scanner = nixpkgsupdate.ProgramScanner{Program: bin, Args: args, Driver: o.Driver, Stderr: cmd.ErrOrStderr(), Tmp: o.Tmp}
	return nil
}
