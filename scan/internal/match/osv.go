package match

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/google/osv-scanner/v2/pkg/osvscanner"
	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"

	"github.com/nixlayer/nixlayer/internal/scanner"
)

// hit is a record matched with a package: by osv-scanner's image
// scanning (a language package, ByImage), or by nixlayer's GIT matching
// (a Nix package, ByGit, with by, listed and low).
type hit struct {
	vuln  *osvpb.Vulnerability
	pkg   scanner.Package
	match string
	// by and listed are the finding's By and Listed.
	by, listed string
	// low says why a GIT match may be wrong, or is "".
	low string
}

// offline are the osv-scanner settings of the image scan: the databases
// are read from dir alone, and no plugin reaches the network.
func offline(dir string) osvscanner.ScannerActions {
	a := osvscanner.ScannerActions{
		CompareOffline:        true,
		DownloadDatabases:     false,
		LocalDBPath:           dir,
		PluginNetworkDisabled: true,
	}
	a.TransitiveScanning.Disabled = true
	return a
}

// imageHits runs osv-scanner's image scanning on a docker archive.
func imageHits(archive, db string) ([]hit, error) {
	a := offline(db)
	a.Image, a.IsImageArchive = archive, true
	res, err := osvscanner.DoContainerScan(a)
	if err != nil && !errors.Is(err, osvscanner.ErrVulnerabilitiesFound) && !errors.Is(err, osvscanner.ErrNoPackagesFound) {
		return nil, fmt.Errorf("scanning the image's language packages: %w", err)
	}
	var hits []hit
	for _, src := range res.Results {
		for _, pv := range src.Packages {
			loc := src.Source.Path
			if inv := pv.Package.Inventory; inv != nil && inv.Location.PathOrEmpty() != "" {
				loc = inv.Location.PathOrEmpty()
			}
			p := scanner.Package{Name: pv.Package.Name, Version: pv.Package.Version, Ecosystem: pv.Package.Ecosystem,
				StorePath: storePathOf(loc), Location: loc}
			for _, v := range pv.Vulnerabilities {
				hits = append(hits, hit{vuln: v, pkg: p, match: ByImage})
			}
		}
	}
	return hits, nil
}

// storePathOf returns the store path a file in the image is in, such as
// /nix/store/<hash>-pip-24.2 for
// nix/store/<hash>-pip-24.2/lib/python3.11/site-packages/…, or "".
func storePathOf(file string) string {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(file, "/"), "nix/store/")
	if !ok {
		return ""
	}
	base, _, _ := strings.Cut(rest, "/")
	return "/nix/store/" + base
}

// logs collects what osv-scanner logs at warning level and above, which
// becomes the scan's warnings; the rest is dropped, so that nothing but
// the scanner's own output reaches standard output.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelWarn }
func (l *logs) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, "osv-scanner: "+strings.Join(strings.Fields(r.Message), " "))
	return nil
}
func (l *logs) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logs) WithGroup(string) slog.Handler      { return l }

// osvMu serialises scans: osv-scanner's logger is global.
var osvMu sync.Mutex
