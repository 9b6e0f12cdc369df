package input

import (
	"errors"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/sets"
)

// Error is a bad-input error with a one-line message.
type Error struct {
	msg   string
	cause error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns sets.ErrBadInput and the cause, if any.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{sets.ErrBadInput}
	}
	return []error{sets.ErrBadInput, e.cause}
}

// Errorf formats a bad-input error as fmt.Errorf does, keeping a %w cause.
func Errorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{msg: err.Error(), cause: errors.Unwrap(err)}
}

// Is reports whether err is bad input.
func Is(err error) bool { return errors.Is(err, sets.ErrBadInput) }
