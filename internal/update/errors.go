package update

import (
	"errors"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// badInput is an error caused by what the user gave (the flake directory,
// its files, --to): it wraps usererr.ErrBadInput and its cause, with a message
// of its own.
type badInput struct {
	msg   string
	cause error
}

func (e *badInput) Error() string { return e.msg }

func (e *badInput) Unwrap() []error {
	if e.cause == nil {
		return []error{usererr.ErrBadInput}
	}
	return []error{usererr.ErrBadInput, e.cause}
}

// bad wraps err, with what was being done, as the user's bad input.
func bad(doing string, err error) error {
	if errors.Is(err, usererr.ErrBadInput) {
		return err
	}
	return &badInput{msg: doing + ": " + err.Error(), cause: err}
}

// refusal is an update that Run refuses: Nix changed other nodes of the
// lock than nixpkgs', or the update raises the vulnerabilities above the
// threshold. It is not the user's bad input. It has a message of its own
// and wraps its cause, if any.
type refusal struct {
	msg   string
	cause error
}

func (e *refusal) Error() string { return e.msg }

func (e *refusal) Unwrap() error { return e.cause }

// refuse returns a refusal that says why, and wraps cause (which may be
// nil).
func refuse(cause error, format string, args ...any) error {
	return &refusal{msg: "refusing the update: " + fmt.Sprintf(format, args...), cause: cause}
}
