package flakeinput

import "fmt"

// syntaxError is an error of the lexer or of the parser, on a line: the
// file is not Nix as far as the finder reads it (an unterminated string or
// comment, unbalanced brackets), or it is not an attribute set.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }
