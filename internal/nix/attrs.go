package nix

import (
	"encoding/json"
	"strconv"
	"strings"
)

// A derivation's attributes reach its environment in one of two shapes,
// and nixpkgs uses both (measured with Nix 2.8's show-derivation; the
// rules are those of nixpkgs' pkgs/stdenv/generic/make-derivation.nix):
//
//   - flat, the default: each attribute is a variable, a string as is, a
//     list as its elements joined by spaces, true as "1" and false as "",
//     a derivation or path as its store path; null attributes are left out
//     (stdenv sets __ignoreNulls);
//   - structured (__structuredAttrs = true, as nixpkgs' xz, pcre2,
//     gnugrep, git, sudo, fetchgit and, since 26.05, buildEnv set it): the
//     environment holds only __json, every attribute with its JSON type
//     (lists as arrays, booleans as booleans), and one variable per output.
//
// Attr and Attrs read an attribute whichever the shape.

// structuredKey is the variable that holds a structured derivation's
// attributes.
const structuredKey = "__json"

// Structured reports whether the derivation's attributes are structured.
func (d Derivation) Structured() bool {
	_, ok := d.Env[structuredKey]
	return ok
}

// structured decodes __json, once per call: derivations are few and small.
func (d Derivation) structured() map[string]json.RawMessage {
	raw, ok := d.Env[structuredKey]
	if !ok {
		return nil
	}
	var attrs map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &attrs) != nil {
		return nil
	}
	return attrs
}

// Attr returns the attribute name as a flat environment gives it: a
// string as is, a number in decimal, true as "1" and false as "", a list
// as its elements joined by spaces. It is "" when the derivation lacks it.
func (d Derivation) Attr(name string) string {
	attrs := d.structured()
	if attrs == nil {
		return d.Env[name]
	}
	return flat(attrs[name])
}

// Attrs returns a list attribute's elements: a structured derivation's
// JSON array, or a flat environment's value split at white space (which a
// list of store paths or URLs never holds).
func (d Derivation) Attrs(name string) []string {
	attrs := d.structured()
	if attrs == nil {
		return strings.Fields(d.Env[name])
	}
	var list []json.RawMessage
	if json.Unmarshal(attrs[name], &list) != nil {
		return strings.Fields(flat(attrs[name]))
	}
	var out []string
	for _, e := range list {
		if s := flat(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Has reports whether the derivation has the attribute name, whichever its
// value.
func (d Derivation) Has(name string) bool {
	if attrs := d.structured(); attrs != nil {
		v, ok := attrs[name]
		return ok && string(v) != "null"
	}
	_, ok := d.Env[name]
	return ok
}

// flat is a JSON value as Nix writes an attribute into a flat environment.
func flat(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "1"
		}
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		var parts []string
		for _, e := range x {
			b, _ := json.Marshal(e)
			parts = append(parts, flat(b))
		}
		return strings.Join(parts, " ")
	}
	return ""
}
