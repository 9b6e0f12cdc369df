package flakeinput

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// InputURL returns the URL of input in the flake.nix src: the string
// literal that inputs.<input>.url is bound to.
func InputURL(src []byte, input string) (string, error) {
	b, err := locate(src, input, []string{"inputs." + input, input + ".url"})
	if err != nil {
		return "", fmt.Errorf("reading the url of input %q: %w", input, err)
	}
	return b.tok.value, nil
}

// SetInputURL returns a copy of the flake.nix src in which the string
// literal that inputs.<input>.url is bound to holds newURL instead of
// oldURL. Only the bytes between the literal's quotes change. It refuses,
// with a one-line error that says why, when the literal cannot be found
// for certain or holds another URL than oldURL.
func SetInputURL(src []byte, input, oldURL, newURL string) ([]byte, error) {
	doing := fmt.Sprintf("setting the url of input %q", input)
	b, err := locate(src, input, []string{oldURL})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doing, err)
	}
	if b.tok.value != oldURL {
		return nil, fmt.Errorf("%s: line %d: it is %q, not %q", doing, lineOf(src, b.tok.start), b.tok.value, oldURL)
	}
	if newURL == oldURL {
		return slices.Clone(src), nil
	}
	start, end := b.tok.start+1, b.tok.end-1 // inside the quotes
	out := slices.Concat(src[:start], []byte(encode(newURL)), src[end:])
	// Read it back: the literal must be where it was and hold newURL.
	if nb, err := locate(out, input, nil); err != nil || nb.tok.start != b.tok.start || nb.tok.value != newURL {
		return nil, fmt.Errorf("%s: line %d: the rewritten literal does not read back as %q", doing, lineOf(src, b.tok.start), newURL)
	}
	return out, nil
}

// encode returns s as the inside of a Nix "…" string: with ", \ and the $
// of ${ escaped, and newlines, carriage returns and tabs as \n, \r, \t.
func encode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// locate returns the one binding of inputs.<input>.url in src, which is a
// plain string literal. When there is none, its error says why, and
// mentions the first comment that holds one of hints, since a URL that is
// only in a comment is a common reason.
func locate(src []byte, input string, hints []string) (binding, error) {
	bs, comments, err := bindings(src)
	if err != nil {
		return binding{}, err
	}
	target := []string{"inputs", input, "url"}
	var hits, hidden []binding
	seen := false // a binding of inputs.<input> or below it
	for _, b := range bs {
		exact, maybe := true, true // b.path matches target, as far as both go
		for i := range min(len(b.path), len(target)) {
			switch {
			case b.path[i].dynamic:
				exact = false
			case b.path[i].name != target[i]:
				exact, maybe = false, false
			}
			if i == 1 && exact {
				seen = true
			}
		}
		switch {
		case !maybe || len(b.path) > len(target):
		case exact && len(b.path) == len(target):
			hits = append(hits, b)
		case exact && b.value != vAttrs:
			// inputs or inputs.<input> bound to something other than a
			// set literal (whose bindings are recorded on their own).
			hidden = append(hidden, b)
		case !exact && (len(b.path) == len(target) || b.value != vAttrs):
			hidden = append(hidden, b) // a dynamic name that may be the url's
		}
	}
	if len(hits)+len(hidden) > 1 {
		var lines []int
		for _, b := range slices.Concat(hits, hidden) {
			lines = append(lines, b.line)
		}
		slices.Sort(lines)
		words := make([]string, len(lines))
		for i, l := range lines {
			words[i] = fmt.Sprint(l)
		}
		return binding{}, fmt.Errorf("it is bound more than once, on lines %s", strings.Join(words, ", "))
	}
	if len(hits) == 1 {
		b := hits[0]
		switch {
		case b.value == vString && b.tok.plain:
			return b, nil
		case b.value == vString:
			return binding{}, fmt.Errorf("line %d: it is a string with ${…} in it, not a plain literal", b.line)
		case b.value == vInherit:
			return binding{}, fmt.Errorf("line %d: it is inherited, not a string literal", b.line)
		case b.value == vAttrs:
			return binding{}, fmt.Errorf("line %d: it is an attribute set, not a string", b.line)
		case b.alone && b.tok.kind == tIndString:
			return binding{}, fmt.Errorf("line %d: it is an indented ''…'' string, not a \"…\" string literal", b.line)
		case b.alone && b.tok.kind == tURI:
			return binding{}, fmt.Errorf("line %d: it is an unquoted URI, not a \"…\" string literal", b.line)
		default:
			return binding{}, fmt.Errorf("line %d: it is not a \"…\" string literal", b.line)
		}
	}
	if len(hidden) == 1 {
		b := hidden[0]
		if slices.ContainsFunc(b.path, func(a attr) bool { return a.dynamic }) {
			return binding{}, fmt.Errorf("line %d: %s, whose name is computed, may bind it", b.line, pathString(b.path))
		}
		return binding{}, fmt.Errorf("line %d: %s is bound to an expression that may hold it, not to an attribute set literal", b.line, pathString(b.path))
	}
	hint := commentHint(src, comments, hints)
	if seen {
		return binding{}, fmt.Errorf("the input has no url attribute%s", hint)
	}
	return binding{}, fmt.Errorf("the flake has no input %q%s", input, hint)
}

// commentHint returns "; a comment on line N mentions it" for the first
// comment that holds one of hints, or "".
func commentHint(src []byte, comments []span, hints []string) string {
	for _, c := range comments {
		for _, h := range hints {
			if h != "" && bytes.Contains(src[c.start:c.end], []byte(h)) {
				return fmt.Sprintf("; a comment on line %d mentions %q", lineOf(src, c.start), h)
			}
		}
	}
	return ""
}
