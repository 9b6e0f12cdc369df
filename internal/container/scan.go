package container

import (
	"path"

	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// Paths of a scan.
const (
	// ScannerPath is where the scanner is mounted.
	ScannerPath = "/nixlayer/bin/nixlayer-scan"
	// ScanImagePath is the image archive to scan.
	ScanImagePath = InDir + "/image.tar"
	// IgnorePath is the ignore file (osv-scanner.toml) of a scan.
	IgnorePath = InDir + "/osv-scanner.toml"
	// DatabaseDir is the OSV database: the call's directory, or a cache
	// volume of downloaded databases.
	DatabaseDir = "/nixlayer/osv"
	// ScanDir is where the scanner writes its outputs.
	ScanDir = OutDir + "/scan"
	// OSVVolume keeps the databases the scanner downloads.
	OSVVolume = "nixlayer-osv-db"
)

// ScannerEnv names the scanner that nixlayer runs (nixlayer scan, and
// update-nixpkgs for the pins' vulnerabilities), when it is neither beside
// nixlayer nor in PATH.
const ScannerEnv = "NIXLAYER_SCANNER"

// databaseMount is the OSV database at DatabaseDir: the call's directory,
// or the volume of downloaded databases, locked so that one scan at a
// time refreshes them.
func databaseMount(given bool) Mount {
	if given {
		return Mount{Kind: DirMount, Path: DatabaseDir, Input: Input{Kind: InputDatabase}}
	}
	return Mount{Kind: CacheMount, Path: DatabaseDir, Volume: OSVVolume, Sharing: Locked}
}

// The scan's outputs in ScanDir, by format: what the ScanReport returns.
var ScanOutputs = []struct {
	Format scanner.Format
	File   string
}{
	{scanner.JSON, "findings.json"},
	{scanner.SARIF, "findings.sarif"},
	{scanner.Markdown, "summary.md"},
	{scanner.CycloneDX, "sbom.cdx.json"},
}

// Scan is a scan of one image by the scanner.
type Scan struct {
	// FailOn is the threshold. The scan exits 0 above it too: the JSON
	// output's "failed" says whether it failed, so that the report comes
	// first and the verdict after.
	FailOn scanner.Level
	// Database says that the call gives the OSV database as a directory,
	// so the scan runs offline; otherwise it downloads the databases it
	// needs into a cache volume.
	Database bool
	// Ignore says that the call gives an ignore file.
	Ignore bool
	// Platform is the engine's: the scanner runs where the engine does.
	Platform platform.Platform
	// Name is what the user scanned, for the report's title: the image's
	// reference, or the build that made it.
	Name string
}

// ScanPlan is the plan of s, in the Nix image, for its CA certificates.
func ScanPlan(nixImage string, s Scan) Plan {
	p := Plan{
		What:  "scanning the image",
		Image: nixImage, Platform: s.Platform.OCI,
		Mounts: []Mount{
			{Kind: FileMount, Path: ScannerPath, Input: Input{Kind: InputScanner}},
			{Kind: FileMount, Path: ScanImagePath, Input: Input{Kind: InputImage}},
		},
		Env:    []Env{{"HOME", Home}, {"NO_COLOR", "1"}},
		Dirs:   []string{ScanDir},
		Output: Output{Kind: DirOutput, Path: ScanDir},
	}
	args := scanner.Args{FailOn: s.FailOn, ExitZero: true, Name: s.Name, Image: ScanImagePath}
	p.Mounts = append(p.Mounts, databaseMount(s.Database))
	if s.Database {
		args.DB = DatabaseDir
	} else {
		// The download must happen every time, not come from a cached exec.
		args.Cache = DatabaseDir
		p.Fresh = true
	}
	if s.Ignore {
		p.Mounts = append(p.Mounts, Mount{Kind: FileMount, Path: IgnorePath, Input: Input{Kind: InputIgnore}})
		args.Ignore = IgnorePath
	}
	for _, o := range ScanOutputs {
		args.Outputs = append(args.Outputs, scanner.Output{Format: o.Format, File: path.Join(ScanDir, o.File)})
	}
	p.Argv = append([]string{ScannerPath}, args.Argv()...)
	return p
}
