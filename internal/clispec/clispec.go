package clispec

// The commands that the module runs.
const (
	CommandBuild         = "build"
	CommandClosure       = "closure"
	CommandInventory     = "inventory"
	CommandIndex         = "index"
	CommandPublish       = "publish"
	CommandUpdateNixpkgs = "update-nixpkgs"
)

// The flags that the module passes. FlagProject and FlagJSON are every
// command's; the others are the flags of the commands that the comment
// above each names.
const (
	FlagProject = "project"
	// FlagJSON is every command's JSON output, and update-nixpkgs' JSON
	// report file.
	FlagJSON = "json"

	// build, closure, inventory (and publish and scan, which build).
	FlagSets     = "sets"
	FlagPackages = "packages"
	FlagNixpkgs  = "nixpkgs"
	FlagPlatform = "platform"

	// build (and publish and scan), and update-nixpkgs.
	FlagCache        = "cache"
	FlagCatalogStore = "catalog-store"

	// build.
	FlagBaseImage     = "base-image"
	FlagBaseImageName = "base-image-name"
	FlagOutput        = "output"

	// build, index and publish.
	FlagOCILayout = "oci-layout"
	FlagTag       = "tag"

	// publish.
	FlagAddress = "address"

	// update-nixpkgs.
	FlagFlake          = "flake"
	FlagOut            = "out"
	FlagReport         = "report"
	FlagTo             = "to"
	FlagBumpRelease    = "bump-release"
	FlagNoScan         = "no-scan"
	FlagDB             = "db"
	FlagScanCache      = "scan-cache"
	FlagFailIfNewVulns = "fail-if-new-vulns"
	FlagFailOn         = "fail-on"
)

// Arg is a flag with its value as one argument, --flag=value, so that no
// value is taken for a flag.
func Arg(flag, value string) string { return "--" + flag + "=" + value }

// Switch is a boolean flag, set: --flag.
func Switch(flag string) string { return "--" + flag }
