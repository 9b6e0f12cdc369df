package sets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// nodeParser turns a project file's YAML nodes into values, reporting every
// problem as a *ProjectError with the line of the offending node.
type nodeParser struct {
	file string
}

// errf returns a *ProjectError for node n.
func (p *nodeParser) errf(n *yaml.Node, format string, args ...any) error {
	return p.errAt(n.Line, format, args...)
}

// errAt returns a *ProjectError for the given line.
func (p *nodeParser) errAt(line int, format string, args ...any) error {
	if line < 1 {
		line = 1
	}
	msg := strings.NewReplacer("\r", " ", "\n", " ").Replace(fmt.Sprintf(format, args...))
	return &ProjectError{File: p.file, Line: line, Msg: msg}
}

// document parses data as a single YAML document and returns its root node,
// or nil if the file holds no document or only a null.
func (p *nodeParser) document(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, p.syntaxError(err, data)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, p.errf(&next, "found a second YAML document; a project file holds only one")
	} else if !errors.Is(err, io.EOF) {
		return nil, p.syntaxError(err, data)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, nil
	}
	root := doc.Content[0]
	if err := p.checkAliases(root); err != nil {
		return nil, err
	}
	return root, nil
}

var (
	yamlLine          = regexp.MustCompile(`^line (\d+): `)
	yamlUnknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// syntaxError turns an error from the YAML decoder into a *ProjectError.
// The decoder puts "line N: " in most messages; a message without one is
// about the first line, except an unknown anchor, whose line is found by
// searching for the alias.
func (p *nodeParser) syntaxError(err error, data []byte) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			line = n
		}
		msg = msg[len(m[0]):]
	} else if m := yamlUnknownAnchor.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			line = 1 + bytes.Count(data[:i], []byte("\n"))
		}
	}
	pe := p.errAt(line, "invalid YAML: %s", msg).(*ProjectError)
	pe.Err = err
	return pe
}

// checkAliases rejects aliases anywhere under n. Aliases (and merge keys,
// which need them) are not supported: they would let a small file expand
// into a huge one, and they make line numbers in errors ambiguous.
func (p *nodeParser) checkAliases(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		return p.errf(n, "aliases such as *%s are not supported; write the value out", n.Value)
	}
	for _, c := range n.Content {
		if err := p.checkAliases(c); err != nil {
			return err
		}
	}
	return nil
}

// pair is one key and value of a YAML mapping.
type pair struct {
	key   string
	k, v  *yaml.Node
	first int // line of an earlier pair with the same key, or 0
}

// pairs returns the pairs of mapping n, whose keys must be scalars. It
// records, but does not reject, repeated keys; callers word that error.
func (p *nodeParser) pairs(n *yaml.Node, where string) ([]pair, error) {
	var out []pair
	lines := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || isNull(k) {
			hint := ""
			if k.Kind == yaml.SequenceNode {
				hint = ` (quote keys such as "[python]")`
			}
			return nil, p.errf(k, "%s: keys must be strings, not %s%s", where, describe(k), hint)
		}
		out = append(out, pair{key: k.Value, k: k, v: v, first: lines[k.Value]})
		if lines[k.Value] == 0 {
			lines[k.Value] = max(k.Line, 1)
		}
	}
	return out, nil
}

// fields returns the pairs of mapping n, whose keys must each appear at most
// once and be one of allowed. where names the mapping in errors.
func (p *nodeParser) fields(n *yaml.Node, where string, allowed ...string) ([]pair, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, "%s must be a mapping with the keys %s, not %s", where, orList(allowed, "and"), describe(n))
	}
	pairs, err := p.pairs(n, where)
	if err != nil {
		return nil, err
	}
	for _, kv := range pairs {
		if !slices.Contains(allowed, kv.key) {
			hint := ""
			if s := suggest(kv.key, allowed); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, p.errf(kv.k, "unknown key %q %s%s; expected %s", kv.key, inWhere(where), hint, orList(allowed, "or"))
		}
		if kv.first != 0 {
			return nil, p.errf(kv.k, "key %q appears twice %s (first on line %d)", kv.key, inWhere(where), kv.first)
		}
	}
	return pairs, nil
}

// str returns the value of a string scalar.
func (p *nodeParser) str(n *yaml.Node, where string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return "", p.errf(n, "%s must be a string, not %s", where, describe(n))
	}
	return n.Value, nil
}

// strList returns the items of a list of strings; a null is an empty list.
func (p *nodeParser) strList(n *yaml.Node, where string) ([]*yaml.Node, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, "%s must be a list, not %s", where, describe(n))
	}
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str" {
			return nil, p.errf(item, "%s: each item must be a string, not %s", where, describe(item))
		}
	}
	return n.Content, nil
}

// jsonValue converts n to a value that encoding/json can write: string,
// bool, a number, nil, []any or map[string]any.
func (p *nodeParser) jsonValue(n *yaml.Node, where string) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		pairs, err := p.pairs(n, where)
		if err != nil {
			return nil, err
		}
		m := make(map[string]any, len(pairs))
		for _, kv := range pairs {
			if kv.first != 0 {
				return nil, p.errf(kv.k, "key %q appears twice in %s (first on line %d)", kv.key, where, kv.first)
			}
			if m[kv.key], err = p.jsonValue(kv.v, fmt.Sprintf("%s[%q]", where, kv.key)); err != nil {
				return nil, err
			}
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, item := range n.Content {
			var err error
			if s[i], err = p.jsonValue(item, fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return nil, err
			}
		}
		return s, nil
	case yaml.ScalarNode:
		switch tag := n.ShortTag(); tag {
		case "!!str", "!!timestamp":
			return n.Value, nil
		case "!!null":
			return nil, nil
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, p.errf(n, "%s: %q is not a valid %s", where, n.Value, tag)
			}
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				return nil, p.errf(n, "%s: %s cannot be written as JSON", where, n.Value)
			}
			return v, nil
		default:
			return nil, p.errf(n, "%s: values tagged %s are not supported", where, tag)
		}
	}
	return nil, p.errf(n, "%s: unexpected %s", where, describe(n))
}

// inWhere returns "in where", or "at the top level" for the top level.
func inWhere(where string) string {
	if where == topLevel {
		return "at " + topLevel
	}
	return "in " + where
}

// isNull reports whether n is a null scalar, such as an empty value.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names the kind of value n holds, for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch tag := n.ShortTag(); tag {
		case "!!str":
			return "a string"
		case "!!null":
			return "null"
		case "!!bool":
			return fmt.Sprintf("the boolean %s (quote it to make it a string)", n.Value)
		case "!!int", "!!float":
			return fmt.Sprintf("the number %s (quote it to make it a string)", n.Value)
		case "!!timestamp":
			return fmt.Sprintf("the timestamp %s (quote it to make it a string)", n.Value)
		default:
			return "a value tagged " + tag
		}
	}
	return "an empty document"
}

// orList joins words as "a, b or c" (or with "and").
func orList(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
