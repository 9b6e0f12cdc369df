// Command nixlayer turns named Nix package sets into devcontainer and
// runtime images, with the same pipeline as the Dagger module, which runs
// it in a container as its helper.
//
//	nixlayer sets
//	nixlayer closure --sets base,python [--packages htop] [--project nixlayer.yaml] [--json]
//	nixlayer inventory --sets base,python
//	nixlayer build devcontainer|runtime [--sets base,python] -o image.tar [--oci-layout DIR] [--tag NAME]
//	nixlayer index LAYOUT... --oci-layout DIR
//	nixlayer publish runtime --sets base,python --address ghcr.io/acme/app:1 [--tag latest]
//	nixlayer update-nixpkgs --flake nix [--to REV | --bump-release] --report CHANGES.md --json changes.json
//	nixlayer build devcontainer --base-image ghcr.io/acme/ubuntu-fips:22.04 -o image.tar
//	nixlayer shell --sets base,python [--command CMD ARGS...]
//	nixlayer envrc --sets base,python
//
// Exit status: 0 on success, 2 for bad input (an unknown set, an attribute
// nixpkgs lacks, a malformed project file, a base image that cannot take
// nixlayer's user, Nix missing, a Nix evaluation error, a bad flag), 1 for
// anything else; nixlayer shell --command exits with the command's status.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK       = 0
	exitFailure  = 1
	exitBadInput = 2
)

// usageError is a command line that cobra or nixlayer rejected: an unknown
// command or flag, a bad flag value, an output that cannot be written.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// run runs nixlayer with args and returns its exit status. Errors are
// written to stderr as one line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// No panic reaches a user as a stack trace: it is a bug, reported
		// as one line like every other failure.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "nixlayer: internal error (please report it): %v\n", r)
			code = exitFailure
		}
	}()
	cmd := newRoot(stdout, stderr)
	cmd.SetArgs(args)
	started := false
	cmd.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ee, ok := errors.AsType[exitError](err); ok {
		// The scanner said why, in its own line.
		return ee.code
	}
	if !started {
		// Cobra rejected the command line: an unknown command or flag.
		err = usageError{err}
	}
	fmt.Fprintf(stderr, "nixlayer: %s\n", oneLine(err.Error()))
	return exitCode(err, os.Getenv(container.HelperEnv) == "1")
}

// exitCode maps an error to the exit status. As the Dagger module's
// helper, whose command line the module writes, a usage error is the
// module's failure, not the user's bad input.
func exitCode(err error, helper bool) int {
	var eval *flake.EvalError
	switch {
	case errors.As(err, new(usageError)):
		if helper {
			return exitFailure
		}
		return exitBadInput
	case errors.Is(err, usererr.ErrBadInput),
		errors.Is(err, nix.ErrNotInstalled),
		errors.As(err, &eval):
		return exitBadInput
	}
	return exitFailure
}

// oneLine joins the lines of a message, so every error is one line.
func oneLine(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " | ")
}
