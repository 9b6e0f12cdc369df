package flakeinput

import (
	"errors"
	"fmt"
)

// The sentinels that the errors of InputURL and SetInputURL wrap.
var (
	// ErrSyntax: the file is not Nix as far as the finder reads it (an
	// unterminated string or comment, unbalanced brackets), or it is not
	// an attribute set.
	ErrSyntax = errors.New("syntax error")
	// ErrNoInput: the flake's inputs hold no such input.
	ErrNoInput = errors.New("no such input")
	// ErrNoURL: the input's url is not one string literal in the file:
	// it is missing (as with inputs.x.follows), computed, inherited, or
	// bound in a way the finder cannot see into.
	ErrNoURL = errors.New("no url literal")
	// ErrAmbiguous: the url is bound more than once, or may be.
	ErrAmbiguous = errors.New("url bound more than once")
	// ErrMismatch: the url literal holds another URL than the caller
	// expected.
	ErrMismatch = errors.New("url differs")
	// ErrURLForm: a flake URL does not name a branch in a form that Ref
	// and WithRef know.
	ErrURLForm = errors.New("unsupported url form")
)

// findError is an error with a ready-made one-line message and the
// sentinel it wraps.
type findError struct {
	msg  string
	kind error
}

func (e *findError) Error() string { return e.msg }

// Unwrap returns the sentinel.
func (e *findError) Unwrap() error { return e.kind }

// newError returns an error that wraps kind, with a formatted message.
func newError(kind error, format string, args ...any) error {
	return &findError{msg: fmt.Sprintf(format, args...), kind: kind}
}

// syntaxError is an error of the lexer or of the parser, on a line.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// Unwrap returns ErrSyntax.
func (e *syntaxError) Unwrap() error { return ErrSyntax }

// prefixed wraps err with what was being done, keeping its sentinel.
type prefixed struct {
	doing string
	err   error
}

func (e *prefixed) Error() string { return e.doing + ": " + e.err.Error() }

func (e *prefixed) Unwrap() error { return e.err }
