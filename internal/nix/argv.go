package nix

import "slices"

// The command lines the driver runs, for callers that run nix elsewhere,
// such as the Dagger module, which runs it in a container: run
// d.Command(d.EvalArgs(…)…) there, and decode the output with the same
// functions the driver uses.

// Command returns the whole command line for args, which start with the
// subcommand: "nix", the global flags, then args. Bin is not looked up.
func (d *Driver) Command(args ...string) []string {
	bin := d.Bin
	if bin == "" {
		bin = "nix"
	}
	return append(append([]string{bin}, d.globalArgs()...), args...)
}

// command is Command with extra global flags after the driver's own.
func (d *Driver) command(extra, args []string) []string {
	return slices.Concat(d.Command(), extra, args)
}

// EvalArgs returns the arguments of "nix eval --json" on installable (left
// out when empty), with FlakeArgs and args.
func (d *Driver) EvalArgs(installable string, args ...string) []string {
	argv := []string{"eval", "--json"}
	argv = append(argv, d.FlakeArgs...)
	argv = append(argv, args...)
	if installable != "" {
		argv = append(argv, "--", installable)
	}
	return argv
}

// BuildArgs returns the arguments of "nix build --json --no-link" on the
// installables, with FlakeArgs and args.
func (d *Driver) BuildArgs(installables []string, args ...string) []string {
	argv := []string{"build", "--json", "--no-link"}
	argv = append(argv, d.FlakeArgs...)
	argv = append(argv, args...)
	argv = append(argv, "--")
	return append(argv, installables...)
}

// PathInfoArgs returns the arguments of "nix path-info --json --recursive"
// on paths.
func PathInfoArgs(paths ...string) []string {
	return append([]string{"path-info", "--json", "--recursive", "--"}, paths...)
}
