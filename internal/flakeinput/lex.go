package flakeinput

import (
	"bytes"
	"fmt"
	"strings"
)

// kind is the kind of a token.
type kind int

const (
	tIdent     kind = iota // an identifier or a keyword
	tString                // a "…" string
	tIndString             // a ''…'' string
	tInterp                // ${…} outside a string: a dynamic attribute
	tURI                   // an unquoted URI, such as github:a/b
	tPunct                 // one of { } ( ) [ ] ; = . : @ ,
	tOther                 // anything else, one byte at a time: numbers, operators, paths
)

// token is a token of a Nix file: its kind and where it is.
type token struct {
	kind       kind
	start, end int // src[start:end] is the token, quotes included
	// plain is true for a "…" string without interpolation, whose value
	// is then the string it stands for.
	plain bool
	value string
}

// span is a part of the file, such as a comment.
type span struct{ start, end int }

// maxNesting bounds the nesting of interpolations, so that no input can
// exhaust the stack.
const maxNesting = 1000

// lexer splits a Nix file into tokens. It knows just enough of Nix's
// lexer to tell code from comments and strings: comments, both kinds of
// string with their escapes and interpolations, identifiers (which may
// hold ' and -) and URIs (which may hold /*).
type lexer struct {
	src      []byte
	pos      int
	nesting  int
	comments []span
}

// lex returns the tokens of src and its comments, or an error for an
// unterminated string, comment or interpolation.
func lex(src []byte) ([]token, []span, error) {
	l := &lexer{src: src}
	var toks []token
	for {
		t, ok, err := l.next()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return toks, l.comments, nil
		}
		toks = append(toks, t)
	}
}

// errorf returns a syntax error at offset off.
func (l *lexer) errorf(off int, format string, args ...any) error {
	return &syntaxError{line: lineOf(l.src, off), msg: fmt.Sprintf(format, args...)}
}

// next returns the next token, skipping blanks and comments, or false at
// the end of the file.
func (l *lexer) next() (token, bool, error) {
	src := l.src
	for l.pos < len(src) {
		start := l.pos
		c := src[start]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
		case c == '#':
			end := bytes.IndexByte(src[start:], '\n')
			if end < 0 {
				end = len(src) - start
			}
			l.pos = start + end
			l.comments = append(l.comments, span{start, l.pos})
		case c == '/' && l.at(start+1, '*'):
			end := bytes.Index(src[start+2:], []byte("*/"))
			if end < 0 {
				return token{}, false, l.errorf(start, "unterminated comment")
			}
			l.pos = start + 2 + end + 2
			l.comments = append(l.comments, span{start, l.pos})
		case c == '"':
			t, err := l.str()
			return t, err == nil, err
		case c == '\'' && l.at(start+1, '\''):
			t, err := l.indStr()
			return t, err == nil, err
		case c == '$' && l.at(start+1, '{'):
			l.pos += 2
			if err := l.interp(start); err != nil {
				return token{}, false, err
			}
			return token{kind: tInterp, start: start, end: l.pos}, true, nil
		case isLetter(c) || c == '_':
			if end := l.uri(start); end > 0 {
				l.pos = end
				return token{kind: tURI, start: start, end: end}, true, nil
			}
			l.pos++
			for l.pos < len(src) && isIdentChar(src[l.pos]) {
				l.pos++
			}
			return token{kind: tIdent, start: start, end: l.pos}, true, nil
		case strings.IndexByte("{}()[];=.:@,", c) >= 0:
			l.pos++
			return token{kind: tPunct, start: start, end: l.pos}, true, nil
		default:
			l.pos++
			return token{kind: tOther, start: start, end: l.pos}, true, nil
		}
	}
	return token{}, false, nil
}

// at reports whether src[i] is c.
func (l *lexer) at(i int, c byte) bool { return i < len(l.src) && l.src[i] == c }

// uri returns the end of the URI that starts at start, or 0 when none
// does. A URI is a letter, then letters, digits and +-. up to a colon,
// then at least one of Nix's URI characters.
func (l *lexer) uri(start int) int {
	src := l.src
	if !isLetter(src[start]) {
		return 0
	}
	i := start + 1
	for i < len(src) && (isLetter(src[i]) || isDigit(src[i]) || strings.IndexByte("+-.", src[i]) >= 0) {
		i++
	}
	if !l.at(i, ':') {
		return 0
	}
	i++
	j := i
	for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || strings.IndexByte("%/?:@&=+$,-_.!~*'", src[j]) >= 0) {
		j++
	}
	if j == i {
		return 0
	}
	return j
}

// str scans a "…" string at l.pos, decoding it when it has no
// interpolation. As in Nix, \ escapes the next byte (\n, \r and \t stand
// for control characters), ${ starts an interpolation and $ followed by
// anything but {, " or \ is taken together with it, so $${ is literal.
func (l *lexer) str() (token, error) {
	src := l.src
	start := l.pos
	var b strings.Builder
	plain := true
	for i := start + 1; ; {
		if i >= len(src) {
			return token{}, l.errorf(start, "unterminated string")
		}
		switch c := src[i]; {
		case c == '"':
			l.pos = i + 1
			t := token{kind: tString, start: start, end: l.pos, plain: plain}
			if plain {
				t.value = b.String()
			}
			return t, nil
		case c == '\\':
			if i+1 >= len(src) {
				return token{}, l.errorf(start, "unterminated string")
			}
			b.WriteByte(unescape(src[i+1]))
			i += 2
		case c == '$' && l.at(i+1, '{'):
			plain = false
			l.pos = i + 2
			if err := l.interp(i); err != nil {
				return token{}, err
			}
			i = l.pos
		case c == '$' && i+1 < len(src) && src[i+1] != '"' && src[i+1] != '\\':
			b.Write(src[i : i+2])
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// unescape returns the byte that \c stands for in a "…" string.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return c
}

// indStr scans an indented string at l.pos, which starts with two single
// quotes. Inside it, three single quotes, and two followed by $, are
// literal; two followed by a backslash escape the next byte; two end the
// string; and ${ starts an interpolation.
func (l *lexer) indStr() (token, error) {
	src := l.src
	start := l.pos
	for i := start + 2; ; {
		switch {
		case i >= len(src):
			return token{}, l.errorf(start, "unterminated string")
		case bytes.HasPrefix(src[i:], []byte("''\\")):
			if i+3 >= len(src) {
				return token{}, l.errorf(start, "unterminated string")
			}
			i += 4
		case bytes.HasPrefix(src[i:], []byte("'''")), bytes.HasPrefix(src[i:], []byte("''$")):
			i += 3
		case bytes.HasPrefix(src[i:], []byte("''")):
			l.pos = i + 2
			return token{kind: tIndString, start: start, end: l.pos}, nil
		case src[i] == '$' && l.at(i+1, '{'):
			l.pos = i + 2
			if err := l.interp(i); err != nil {
				return token{}, err
			}
			i = l.pos
		case src[i] == '$' && i+1 < len(src) && src[i+1] != '\'':
			i += 2
		default:
			i++
		}
	}
}

// interp skips the code of an interpolation that starts at start, with
// l.pos just after its "${", up to and past its closing brace.
func (l *lexer) interp(start int) error {
	l.nesting++
	defer func() { l.nesting-- }()
	if l.nesting > maxNesting {
		return l.errorf(start, "interpolations nested more than %d deep", maxNesting)
	}
	depth := 1
	for {
		t, ok, err := l.next()
		if err != nil {
			return err
		}
		if !ok {
			return l.errorf(start, "unterminated ${")
		}
		if t.kind == tPunct {
			switch l.src[t.start] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					return nil
				}
			}
		}
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isIdentChar reports whether c may follow the first character of an
// identifier.
func isIdentChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '\'' || c == '-' }

// lineOf returns the 1-based line of offset off in src.
func lineOf(src []byte, off int) int { return 1 + bytes.Count(src[:off], []byte("\n")) }
