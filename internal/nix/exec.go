package nix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// experimentalFeatures is enabled on every command, so that the driver works
// whatever the machine's nix.conf says.
const experimentalFeatures = "nix-command flakes"

// defaultWaitDelay is how long a cancelled nix gets to exit after SIGTERM
// before it is killed.
const defaultWaitDelay = 5 * time.Second

// Driver runs the nix command-line tool. Its zero value runs "nix" from PATH
// against the default store. A Driver is safe for concurrent use as long as
// its fields are not changed and Progress accepts concurrent writes.
//
// Every command line has the form
//
//	nix <global flags> <subcommand> <command flags> -- <installables>
//
// where the global flags are "--extra-experimental-features 'nix-command
// flakes'", "--store Store" when Store is set, and then Args. Nix accepts
// global flags anywhere, but command flags (such as --impure or
// --override-input) only after their subcommand: put those in FlakeArgs or
// in the args of a single call instead.
type Driver struct {
	// Bin is the nix binary: a path, or a name looked up in PATH. ""
	// means "nix".
	Bin string
	// Store is the value of --store, such as "/tmp/x/root" for a chroot
	// store. "" means the default store.
	Store string
	// Args holds global flags added to every command before the
	// subcommand, such as "--option", "max-jobs", "2", "--offline" or
	// "--print-build-logs".
	Args []string
	// FlakeArgs holds flags added to the commands that evaluate flakes
	// (Eval and Build) after their subcommand, such as
	// "--override-input", "nixpkgs", "path:/src/nixpkgs".
	FlakeArgs []string
	// Env holds extra environment variables ("KEY=value"), appended to
	// os.Environ() so that they take precedence.
	Env []string
	// Progress, if non-nil, receives nix's messages as they arrive, to
	// show progress on long builds: warnings and errors (each once), and
	// one line now and then for the derivations built and the paths
	// copied. Write errors are ignored, and after the first one nothing
	// more is written.
	Progress io.Writer
	// Verbose sends every message of nix to Progress instead, each
	// derivation it builds and each line of a build's log among them.
	Verbose bool
	// Probe, if set, drops the substituters that do not answer, once,
	// before the first command that builds (see SubstituterProbe).
	Probe *SubstituterProbe
	// WaitDelay is how long nix gets to exit after a cancelled context
	// sends it SIGTERM before it is killed, and how long Run waits for
	// nix's output pipes to close after nix exits. 0 means 5 seconds.
	WaitDelay time.Duration
	// Exec, when set, stands in for the nix program, in this process: Run
	// gives it the arguments that would follow the binary (the global
	// flags, then args) and returns what it returns, the standard output
	// or an error, such as a *CommandError (see NewCommandError) for a
	// command that fails. Bin is then not run. It is the seam of fakes of
	// Nix, such as nixtest.Nix.
	Exec func(ctx context.Context, args []string) ([]byte, error)
}

// Run runs nix with the global flags followed by args, which start with the
// subcommand, and returns its standard output. It never goes through a
// shell.
//
// If the binary cannot be found, the error matches [ErrNotInstalled]. If
// nix fails or the context ends first, the error is a [*CommandError]; in
// the latter case it also matches the context's error. When the context
// ends, nix and the helpers it started (it runs in a process group of its
// own) receive SIGTERM, so that nix can stop its builds; if nix has not
// exited after [Driver.WaitDelay], it is killed and its pipes are closed.
func (d *Driver) Run(ctx context.Context, args ...string) ([]byte, error) {
	bin := ""
	if d.Exec == nil {
		var err error
		if bin, err = d.lookBin(); err != nil {
			return nil, err
		}
	}
	unlock, err := d.lockStore(ctx, commandName(args))
	if err != nil {
		return nil, err
	}
	defer unlock()
	argv := d.command(d.probeArgs(ctx, commandName(args)), args)[1:]
	if d.Exec != nil {
		return d.Exec(ctx, argv)
	}
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Env = append(os.Environ(), d.Env...)
	var stdout bytes.Buffer
	tail := &tailBuffer{max: stderrTailSize}
	cmd.Stdout = &stdout
	var progress io.Writer
	if d.Progress != nil {
		progress = &progressWriter{w: d.Progress}
	}
	logs := newLogDecoder(tail, progress, d.Verbose)
	cmd.Stderr = logs
	startInOwnGroup(cmd)
	cmd.Cancel = func() error { return terminate(cmd.Process) }
	cmd.WaitDelay = d.WaitDelay
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = defaultWaitDelay
	}

	err = cmd.Run()
	logs.Close()
	state := cmd.ProcessState
	if err == nil || (errors.Is(err, exec.ErrWaitDelay) && state.Success() && ctx.Err() == nil) {
		// A process left holding nix's pipes after nix succeeded does
		// not make the output any less complete.
		return stdout.Bytes(), nil
	}
	cerr := &CommandError{
		Command:  commandName(args),
		Args:     argv,
		ExitCode: -1,
		Stderr:   tail.String(),
		Err:      err,
	}
	if state != nil {
		cerr.ExitCode = state.ExitCode()
	}
	switch {
	case ctx.Err() != nil:
		cerr.Err = ctx.Err()
	case state == nil:
		// nix did not start: report the reason alone.
		return nil, fmt.Errorf("%s: %w", cerr.name(), err)
	}
	return nil, cerr
}

// lookBin finds the nix binary.
func (d *Driver) lookBin() (string, error) {
	bin := d.Bin
	if bin == "" {
		bin = "nix"
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		return "", &notInstalledError{bin: bin, inPath: !strings.Contains(bin, "/"), err: err}
	}
	return p, nil
}

// globalArgs returns the flags that start every command line.
func (d *Driver) globalArgs() []string {
	args := []string{"--extra-experimental-features", experimentalFeatures, "--log-format", logFormat}
	if d.Store != "" {
		args = append(args, "--store", d.Store)
	}
	return append(args, d.Args...)
}

// commandGroups holds the nix subcommands that take a subcommand of their
// own, such as "nix flake metadata".
var commandGroups = map[string]bool{
	"config": true, "derivation": true, "flake": true, "hash": true, "key": true,
	"nar": true, "profile": true, "realisation": true, "registry": true, "store": true,
}

// commandName returns the subcommand at the start of args, such as "eval"
// or "flake metadata", or "" if args starts with a flag.
func commandName(args []string) string {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return ""
	}
	if commandGroups[args[0]] && len(args) > 1 && !strings.HasPrefix(args[1], "-") {
		return args[0] + " " + args[1]
	}
	return args[0]
}

// progressWriter passes writes on to w until w fails, and never fails
// itself, so that a broken progress display cannot break a build.
type progressWriter struct {
	w      io.Writer
	failed bool
}

func (p *progressWriter) Write(b []byte) (int, error) {
	if !p.failed {
		if _, err := p.w.Write(b); err != nil {
			p.failed = true
		}
	}
	return len(b), nil
}

// Installed reports whether the nix binary can be found; the error matches
// [ErrNotInstalled] and says how to install it.
func (d *Driver) Installed() error {
	_, err := d.lookBin()
	return err
}
