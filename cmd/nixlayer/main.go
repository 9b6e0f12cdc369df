// Command nixlayer turns named Nix package sets into devcontainer and
// runtime images, with the same pipeline as the Dagger module, which runs
// it in a container as its helper.
//
//	nixlayer sets
//	nixlayer closure --sets base,python [--packages htop] [--project nixlayer.yaml] [--json]
//	nixlayer build devcontainer|runtime [--sets base,python] -o image.tar [--oci-layout DIR] [--tag NAME]
//
// Exit status: 0 on success, 2 for bad input (an unknown set, an attribute
// nixpkgs lacks, a malformed project file, Nix missing, a Nix evaluation
// error), 1 for anything else.
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

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
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

// usageError is a command line that cobra or nixlayer rejected.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// run runs nixlayer with args and returns its exit status. Errors are
// written to stderr as one line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := newRoot(stdout, stderr)
	cmd.SetArgs(args)
	started := false
	cmd.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if !started {
		// Cobra rejected the command line: an unknown command or flag.
		err = usageError{err}
	}
	fmt.Fprintf(stderr, "nixlayer: %s\n", oneLine(err.Error()))
	return exitCode(err)
}

// exitCode maps an error to the exit status.
func exitCode(err error) int {
	var usage usageError
	var eval *flake.EvalError
	switch {
	case errors.As(err, &usage),
		errors.Is(err, sets.ErrBadInput),
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
