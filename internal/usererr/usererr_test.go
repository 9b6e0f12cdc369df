package usererr_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestErrorf(t *testing.T) {
	err := usererr.Errorf("--cache %s: cannot make it: %w", "/x", fs.ErrPermission)
	if err.Error() != "--cache /x: cannot make it: permission denied" {
		t.Errorf("message %q", err)
	}
	if !errors.Is(err, usererr.ErrBadInput) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("%v wraps neither bad input nor its cause", err)
	}
	two := usererr.Errorf("%w and %w", fs.ErrExist, fs.ErrNotExist)
	if !errors.Is(two, fs.ErrExist) || !errors.Is(two, fs.ErrNotExist) || !errors.Is(two, usererr.ErrBadInput) {
		t.Errorf("%v lost a cause", two)
	}
	plain := usererr.Errorf("unknown set %q", "pyhton")
	if !errors.Is(plain, usererr.ErrBadInput) || errors.Unwrap(plain) != nil {
		t.Errorf("%v: want bad input, and no single cause", plain)
	}
	if errors.Is(errors.New("bad input"), usererr.ErrBadInput) {
		t.Error("another error with the same text is bad input")
	}
}
