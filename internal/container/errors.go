package container

import (
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// ExitBadInput is the helper's exit status for bad input. With HelperEnv
// set, the helper uses it only for the user's input (sets, packages,
// project, overlays, what Nix evaluates), never for its own command line.
const ExitBadInput = 2

// HelperError is a run of the helper that failed.
type HelperError struct {
	// What is what the run was for, such as "building the runtime image
	// for linux/arm64".
	What string
	// ExitCode is the helper's exit status.
	ExitCode int
	// Msg is the helper's one-line error, without its "nixlayer: ".
	Msg string
}

// NewHelperError returns the error of a run of the helper that exited with
// exitCode and wrote stderr. The helper's last line is its one-line error,
// after "nixlayer: ", below Nix's progress.
func NewHelperError(what string, exitCode int, stderr string) *HelperError {
	e := &HelperError{What: what, ExitCode: exitCode}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if msg, ok := strings.CutPrefix(last, "nixlayer: "); ok {
		e.Msg = msg
	} else if last != "" {
		e.Msg = last
	} else {
		e.Msg = fmt.Sprintf("the helper exited with status %d", exitCode)
	}
	return e
}

// Error is the helper's message for the user's bad input, as the command
// line prints it; else the message after what the run was for.
func (e *HelperError) Error() string {
	if e.ExitCode == ExitBadInput {
		return e.Msg
	}
	return e.What + ": " + e.Msg
}

// Unwrap returns usererr.ErrBadInput for the user's bad input.
func (e *HelperError) Unwrap() error {
	if e.ExitCode == ExitBadInput {
		return usererr.ErrBadInput
	}
	return nil
}
