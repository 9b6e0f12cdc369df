package flakeinput

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// value is what a binding binds its attribute path to, as far as the
// finder looks.
type value int

const (
	vString  value = iota // a "…" string and nothing else
	vAttrs                // an attribute set, whose bindings are recorded
	vInherit              // inherit name;
	vOther                // any other expression
)

// binding is one binding of an attribute path in the file's top-level
// attribute set or in a nested attribute set literal.
type binding struct {
	// path is the full attribute path from the top.
	path  []attr
	value value
	// tok is the string, for vString; else the first token of the value.
	tok token
	// alone is true when tok is the whole value.
	alone bool
	// line is the line where the binding starts.
	line int
}

// attr is a component of an attribute path: a name, or a dynamic one
// (${…} or an interpolated string) whose name is not known.
type attr struct {
	name    string
	dynamic bool
}

// parser collects the bindings of a file's top-level attribute set.
type parser struct {
	src      []byte
	toks     []token
	bindings []binding
}

// bindings returns every binding of the top-level attribute set of src,
// nested attribute set literals included, and the file's comments.
func bindings(src []byte) ([]binding, []span, error) {
	toks, comments, err := lex(src)
	if err != nil {
		return nil, nil, err
	}
	p := &parser{src: src, toks: toks}
	if len(toks) == 0 || !p.punct(0, '{') {
		return nil, nil, &syntaxError{line: 1, msg: "the file is not an attribute set { … }"}
	}
	end, err := p.attrs(1, nil)
	if err != nil {
		return nil, nil, err
	}
	if end != len(toks) {
		return nil, nil, p.errorf(end, "the file goes on after its attribute set")
	}
	return p.bindings, comments, nil
}

// text returns the source of token i.
func (p *parser) text(i int) string { return string(p.src[p.toks[i].start:p.toks[i].end]) }

// punct reports whether token i is the punctuation c.
func (p *parser) punct(i int, c byte) bool {
	return i < len(p.toks) && p.toks[i].kind == tPunct && p.src[p.toks[i].start] == c
}

// ident reports whether token i is the identifier or keyword name.
func (p *parser) ident(i int, name string) bool {
	return i < len(p.toks) && p.toks[i].kind == tIdent && p.text(i) == name
}

// line returns the line of token i, or of the end of the file.
func (p *parser) line(i int) int {
	if i >= len(p.toks) {
		return lineOf(p.src, len(p.src))
	}
	return lineOf(p.src, p.toks[i].start)
}

func (p *parser) errorf(i int, format string, args ...any) error {
	return &syntaxError{line: p.line(i), msg: fmt.Sprintf(format, args...)}
}

// attrs records the bindings of an attribute set whose "{" is just before
// token i, each under prefix, and returns the index after its "}".
func (p *parser) attrs(i int, prefix []attr) (int, error) {
	open := i - 1
	for {
		switch {
		case i >= len(p.toks):
			return 0, p.errorf(open, "unterminated attribute set")
		case p.punct(i, '}'):
			return i + 1, nil
		case p.ident(i, "inherit"):
			end, err := p.skip(i + 1)
			if err != nil {
				return 0, err
			}
			for j := i + 1; j < end; j++ {
				if p.punct(j, '(') { // inherit (e) names;
					if j, err = p.matching(j); err != nil {
						return 0, err
					}
					continue
				}
				if a, ok := p.attrName(j); ok {
					p.bindings = append(p.bindings, binding{path: append(slices.Clone(prefix), a), value: vInherit, tok: p.toks[j], line: p.line(j)})
				}
			}
			i = end + 1
		default:
			var err error
			if i, err = p.binding(i, prefix); err != nil {
				return 0, err
			}
		}
	}
}

// binding records the binding "path = value;" at token i, and the
// bindings inside value when it is an attribute set literal, and returns
// the index after its ";".
func (p *parser) binding(i int, prefix []attr) (int, error) {
	path, line := slices.Clone(prefix), p.line(i)
	for {
		a, ok := p.attrName(i)
		if !ok {
			if i >= len(p.toks) {
				return 0, p.errorf(i, "expected an attribute name at the end of the file")
			}
			return 0, p.errorf(i, "expected an attribute name, found %q", short(p.text(i)))
		}
		path = append(path, a)
		i++
		if p.punct(i, '=') {
			break
		}
		if !p.punct(i, '.') {
			return 0, p.errorf(i, "expected . or = after an attribute name")
		}
		i++
	}
	i++ // past "="
	b := binding{path: path, value: vOther, line: line, alone: p.punct(i+1, ';')}
	if i < len(p.toks) {
		b.tok = p.toks[i]
	}
	set := i
	if p.ident(set, "rec") {
		set++
	}
	if p.punct(set, '{') && !p.lambda(set) {
		mark := len(p.bindings)
		b.value = vAttrs
		p.bindings = append(p.bindings, b)
		end, err := p.attrs(set+1, path)
		if err != nil {
			return 0, err
		}
		if p.punct(end, ';') {
			return end + 1, nil
		}
		// Something like { … } // e: what the set holds is not what
		// the path is bound to.
		p.bindings = p.bindings[:mark]
		b.value = vOther
	} else if b.alone && b.tok.kind == tString {
		b.value = vString
		p.bindings = append(p.bindings, b)
		return i + 2, nil
	}
	end, err := p.skip(i)
	if err != nil {
		return 0, err
	}
	p.bindings = append(p.bindings, b)
	return end + 1, nil
}

// attrName returns the attribute name at token i: an identifier, or a
// string, which is dynamic when it is interpolated; or ${…}, dynamic.
func (p *parser) attrName(i int) (attr, bool) {
	if i >= len(p.toks) {
		return attr{}, false
	}
	switch t := p.toks[i]; t.kind {
	case tIdent:
		return attr{name: p.text(i)}, true
	case tString:
		return attr{name: t.value, dynamic: !t.plain}, true
	case tInterp:
		return attr{dynamic: true}, true
	}
	return attr{}, false
}

// lambda reports whether the "{" at token i starts a function's pattern,
// { a, b }: or { … }@args:, rather than an attribute set.
func (p *parser) lambda(i int) bool {
	end, err := p.matching(i)
	return err == nil && (p.punct(end+1, ':') || p.punct(end+1, '@'))
}

// matching returns the index of the bracket that closes the one at token i.
func (p *parser) matching(i int) (int, error) {
	depth := 0
	for j := i; j < len(p.toks); j++ {
		if p.toks[j].kind != tPunct {
			continue
		}
		switch p.src[p.toks[j].start] {
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			if depth--; depth == 0 {
				return j, nil
			}
		}
	}
	return 0, p.errorf(i, "unclosed %q", p.text(i))
}

// skip returns the index of the ";" that ends the expression starting at
// token i. Brackets nest; inside let … in, and between with or assert and
// its ";", a ";" does not end the expression.
func (p *parser) skip(i int) (int, error) {
	start := i
	var stack []string
	for ; i < len(p.toks); i++ {
		t := p.text(i)
		switch p.toks[i].kind {
		case tPunct:
			switch t {
			case "{", "(", "[":
				stack = append(stack, t)
			case "}", ")", "]":
				want := map[string]string{"}": "{", ")": "(", "]": "["}[t]
				if len(stack) == 0 || stack[len(stack)-1] != want {
					return 0, p.errorf(i, "unexpected %q (is a ; missing?)", t)
				}
				stack = stack[:len(stack)-1]
			case ";":
				switch {
				case len(stack) == 0:
					return i, nil
				case stack[len(stack)-1] == "with" || stack[len(stack)-1] == "assert":
					stack = stack[:len(stack)-1]
				}
			case "=":
				if p.loneEquals(i) && (len(stack) == 0 || stack[len(stack)-1] == "with" || stack[len(stack)-1] == "assert") {
					return 0, p.errorf(i, "unexpected = (is a ; missing before it?)")
				}
			}
		case tIdent:
			switch t {
			case "let", "with", "assert":
				stack = append(stack, t)
			case "in":
				if len(stack) == 0 || stack[len(stack)-1] != "let" {
					return 0, p.errorf(i, "unexpected in")
				}
				stack = stack[:len(stack)-1]
			}
		}
	}
	return 0, p.errorf(start, "the binding has no ;")
}

// pathString returns a path as Nix writes it, with a dynamic component
// as ${…} and a name that is not an identifier quoted.
func pathString(path []attr) string {
	parts := make([]string, len(path))
	for i, a := range path {
		switch {
		case a.dynamic:
			parts[i] = "${…}"
		case isIdent(a.name):
			parts[i] = a.name
		default:
			parts[i] = strconv.Quote(a.name)
		}
	}
	return strings.Join(parts, ".")
}

// isIdent reports whether s is written as a Nix identifier.
func isIdent(s string) bool {
	if s == "" || !isLetter(s[0]) && s[0] != '_' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}

// loneEquals reports whether the "=" at token i is one of a binding, not
// part of ==, !=, <= or >=.
func (p *parser) loneEquals(i int) bool {
	off := p.toks[i].start
	before := off > 0 && strings.IndexByte("=!<>", p.src[off-1]) >= 0
	after := off+1 < len(p.src) && p.src[off+1] == '='
	return !before && !after
}

// short returns s, cut to at most 40 bytes.
func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}
