package lock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// lockError is an error with a ready-made one-line message and, when there
// is one, an underlying cause.
type lockError struct {
	msg   string
	cause error
}

func (e *lockError) Error() string { return e.msg }

// Unwrap returns the cause, or nil.
func (e *lockError) Unwrap() error { return e.cause }

// malformed returns a Parse error.
func malformed(format string, args ...any) error {
	return &lockError{msg: "parsing flake.lock: " + fmt.Sprintf(format, args...)}
}

// syntaxError turns an error of json.Unmarshal on data into a Parse error
// that gives the line and column of a syntax error.
func syntaxError(data []byte, err error) error {
	e := &lockError{cause: err}
	var se *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		e.msg = "parsing flake.lock: it is empty"
	case errors.As(err, &se):
		line, col := position(data, se.Offset, strings.HasPrefix(se.Error(), "unexpected end"))
		e.msg = fmt.Sprintf("parsing flake.lock: at %d:%d: %s", line, col, se.Error())
	default:
		e.msg = "parsing flake.lock: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	return e
}

// position returns the 1-based line and column (in characters) of a JSON
// syntax error at offset, which counts the bytes read when the decoder
// stopped: the offending byte is the last of them, or, at the end of the
// input, the place after them.
func position(data []byte, offset int64, atEnd bool) (line, col int) {
	i := offset - 1
	if atEnd {
		i = offset
	}
	i = min(max(i, 0), int64(len(data)))
	before := data[:i]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// kindOf names the kind of JSON value raw holds, for error messages.
func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if len(raw) > 20 {
		return "the number " + string(raw[:20]) + "…"
	}
	return "the number " + string(raw)
}
