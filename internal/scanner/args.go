package scanner

import "fmt"

// nixlayer-scan's flags, by the names it defines them with.
const (
	FlagFailOn   = "fail-on"
	FlagExitZero = "exit-zero"
	FlagName     = "name"
	FlagSBOM     = "sbom"
	FlagDB       = "db"
	FlagCache    = "cache"
	FlagIgnore   = "ignore"
	FlagOnline   = "online"
	FlagFormat   = "format"
	// FlagOutput is -o, the file of the --format before it.
	FlagOutput = "o"
)

// DefaultThreshold is the threshold when none is given: the one at which
// the scans of CI fail.
const DefaultThreshold = High

// Args are a run of nixlayer-scan, what its command line says.
type Args struct {
	// FailOn is the threshold; Unknown leaves it to nixlayer-scan's
	// default, DefaultThreshold.
	FailOn Level
	// ExitZero keeps the exit status 0 above the threshold: the JSON
	// output's "failed" gives the verdict.
	ExitZero bool
	// Name is what the report calls the image, such as its reference.
	Name string
	// SBOM is an SBOM file to read instead of the image's.
	SBOM string
	// DB is a directory of OSV databases to use, offline. Cache is where
	// the databases downloaded without DB are kept.
	DB, Cache string
	// Ignore is an ignore file in osv-scanner.toml format.
	Ignore string
	// Online asks osv.dev's API about commit-only sources.
	Online bool
	// Outputs are the outputs, in order.
	Outputs []Output
	// Image is the image to scan, an archive or an OCI layout; "" with
	// SBOM scans the SBOM's Nix packages alone.
	Image string
}

// Output is one output of a scan: a format, and the file it goes to (""
// for standard output).
type Output struct {
	Format Format
	File   string
}

// Argv is the command line of the run, without the program: the flags in
// one order, each as --flag=value (so that no value is taken for a flag)
// and each output's file as -o FILE, then the image.
func (a Args) Argv() []string {
	var argv []string
	value := func(flag, v string) {
		if v != "" {
			argv = append(argv, "--"+flag+"="+v)
		}
	}
	set := func(flag string, on bool) {
		if on {
			argv = append(argv, "--"+flag)
		}
	}
	if a.FailOn != Unknown {
		value(FlagFailOn, a.FailOn.String())
	}
	set(FlagExitZero, a.ExitZero)
	value(FlagName, a.Name)
	value(FlagSBOM, a.SBOM)
	value(FlagDB, a.DB)
	value(FlagCache, a.Cache)
	value(FlagIgnore, a.Ignore)
	set(FlagOnline, a.Online)
	for _, o := range a.Outputs {
		value(FlagFormat, string(o.Format))
		if o.File != "" {
			argv = append(argv, "-"+FlagOutput, o.File)
		}
	}
	if a.Image != "" {
		argv = append(argv, a.Image)
	}
	return argv
}

// FormatFlag is --format as a flag's value (of the flag package, and of
// pflag, with Type): each one starts an output of Outputs.
type FormatFlag struct{ Outputs *[]Output }

// String is the flag's default, none.
func (f FormatFlag) String() string { return "" }

// Type names the value in pflag's help.
func (f FormatFlag) Type() string { return "format" }

// Set starts an output in the format named s.
func (f FormatFlag) Set(s string) error {
	format, err := ParseFormat(s)
	if err != nil {
		return err
	}
	*f.Outputs = append(*f.Outputs, Output{Format: format})
	return nil
}

// FileFlag is -o as a flag's value: the file of the output that the
// --format before it started.
type FileFlag struct{ Outputs *[]Output }

// String is the flag's default, none.
func (f FileFlag) String() string { return "" }

// Type names the value in pflag's help.
func (f FileFlag) Type() string { return "file" }

// Set gives the last output its file, s.
func (f FileFlag) Set(s string) error {
	outs := *f.Outputs
	if len(outs) == 0 || outs[len(outs)-1].File != "" {
		return fmt.Errorf("-o %s has no --format before it", s)
	}
	outs[len(outs)-1].File = s
	return nil
}
