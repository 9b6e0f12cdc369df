package match

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/google/osv-scanner/v2/pkg/models"
	"github.com/google/osv-scanner/v2/pkg/osvscanner"
	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"

	"github.com/nixlayer/nixlayer/internal/sbom"
)

// hit is a record osv-scanner matched with a package.
type hit struct {
	vuln *osvpb.Vulnerability
	pkg  Package
}

// offline are the osv-scanner settings of every scan: the databases are
// read from dir alone, and no plugin reaches the network.
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
			p := Package{Name: pv.Package.Name, Version: pv.Package.Version, Ecosystem: pv.Package.Ecosystem,
				StorePath: storePathOf(loc), Location: loc}
			for _, v := range pv.Vulnerabilities {
				hits = append(hits, hit{v, p})
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

// gitSource is a source OSV's GIT ranges can match offline.
type gitSource struct{ repo, tag, commit string }

// gitSources groups the SBOM's components by source: v2.5.1's offline
// matcher needs the repository, the exact tag (listed in a record's
// versions) and a commit. It also returns the components that name a
// repository without both.
func gitSources(doc *sbom.Document) (map[gitSource][]sbom.Component, []string) {
	out := map[gitSource][]sbom.Component{}
	var unmatched []string
	for _, c := range doc.Components {
		s := c.Source
		if s == nil || s.Repository == "" {
			continue
		}
		if s.Tag == "" || s.Commit == "" {
			unmatched = append(unmatched, c.Path)
			continue
		}
		k := gitSource{s.Repository, s.Tag, s.Commit}
		out[k] = append(out[k], c)
	}
	return out, unmatched
}

// gitHits matches the sources with OSV's GIT ranges: osv-scanner reads
// them from an osv-scanner-custom.json package list written in tmp.
func gitHits(sources map[gitSource][]sbom.Component, db, tmp string) ([]hit, error) {
	if len(sources) == 0 {
		return nil, nil
	}
	list := models.VulnerabilityResults{Results: []models.PackageSource{{
		Source: models.SourceInfo{Path: sbom.Path, Type: models.SourceTypeSBOM},
	}}}
	for k := range sources {
		list.Results[0].Packages = append(list.Results[0].Packages, models.PackageVulns{
			Package: models.PackageInfo{Name: k.repo, Version: k.tag, Ecosystem: "GIT", Commit: k.commit}})
	}
	dir, err := os.MkdirTemp(tmp, "nixlayer-scan-")
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "osv-scanner-custom.json")
	data, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return nil, err
	}
	a := offline(db)
	a.LockfilePaths = []string{file}
	res, err := osvscanner.DoScan(a)
	if err != nil && !errors.Is(err, osvscanner.ErrVulnerabilitiesFound) && !errors.Is(err, osvscanner.ErrNoPackagesFound) {
		return nil, fmt.Errorf("matching the SBOM's sources with OSV's GIT ranges: %w", err)
	}
	var hits []hit
	for _, src := range res.Results {
		for _, pv := range src.Packages {
			k := gitSource{pv.Package.Name, pv.Package.Version, pv.Package.Commit}
			for _, c := range sources[k] {
				p := Package{Name: c.Name, Version: c.Version, Ecosystem: "GIT", StorePath: c.Path,
					Repository: k.repo, Tag: k.tag, Commit: k.commit}
				for _, v := range pv.Vulnerabilities {
					hits = append(hits, hit{v, p})
				}
			}
		}
	}
	return hits, nil
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
