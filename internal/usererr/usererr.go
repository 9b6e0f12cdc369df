package usererr

import (
	"errors"
	"fmt"
)

// ErrBadInput is wrapped by every error that what the user wrote caused.
var ErrBadInput = errors.New("bad input")

// badInput is a bad-input error: its message, and what it wraps.
type badInput struct{ err error }

func (e *badInput) Error() string { return e.err.Error() }

// Unwrap returns ErrBadInput and the error's own causes (the %w operands
// of Errorf's format).
func (e *badInput) Unwrap() []error {
	causes := []error{ErrBadInput}
	switch u := e.err.(type) {
	case interface{ Unwrap() []error }:
		causes = append(causes, u.Unwrap()...)
	case interface{ Unwrap() error }:
		causes = append(causes, u.Unwrap())
	}
	return causes
}

// Errorf formats an error as fmt.Errorf does, %w operands kept as causes,
// that wraps ErrBadInput: its message is one line that says what was wrong
// with the input and, where it helps, what to give instead.
func Errorf(format string, args ...any) error {
	return &badInput{err: fmt.Errorf(format, args...)}
}
