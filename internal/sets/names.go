package sets

import (
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// nixKeywords are the words a Nix attribute path component cannot be when
// it is written unquoted, as nixlayer writes attribute paths into Nix
// expressions.
var nixKeywords = map[string]bool{
	"assert": true, "else": true, "if": true, "in": true, "inherit": true,
	"let": true, "or": true, "rec": true, "then": true, "with": true,
}

// ValidAttrPath reports whether p is a nixpkgs attribute path that nixlayer
// accepts: one or more dot-separated components, each a Nix identifier that
// starts with an ASCII letter or an underscore and continues with ASCII
// letters, digits, underscores, apostrophes or hyphens, and is not a Nix
// keyword. Examples are "jq", "python312Packages.pip" and
// "stdenv.cc.cc.lib". The error wraps usererr.ErrBadInput.
func ValidAttrPath(p string) error {
	if reason := attrPathProblem(p); reason != "" {
		return usererr.Errorf("invalid attribute path %q: %s", p, reason)
	}
	return nil
}

// attrPathProblem returns why p is not a valid attribute path, or "".
func attrPathProblem(p string) string {
	if p == "" {
		return "it is empty"
	}
	for _, c := range strings.Split(p, ".") {
		if c == "" {
			return "it has an empty component"
		}
		if !isLetter(c[0]) && c[0] != '_' {
			return fmt.Sprintf("component %q must start with a letter or _", c)
		}
		for _, r := range c {
			if r > 0x7f || !isLetter(byte(r)) && !isDigit(byte(r)) && r != '_' && r != '\'' && r != '-' {
				return fmt.Sprintf("character %q is not allowed (use letters, digits, _, ' and -)", r)
			}
		}
		if nixKeywords[c] {
			return fmt.Sprintf("component %q is a Nix keyword", c)
		}
	}
	return ""
}

// setNameProblem returns why name cannot name a set, or "". A set name
// starts with an ASCII letter and continues with ASCII letters, digits,
// underscores or hyphens.
func setNameProblem(name string) string {
	if name == "" {
		return "it is empty"
	}
	if !isLetter(name[0]) {
		return "it must start with a letter"
	}
	for _, r := range name {
		if r > 0x7f || !isLetter(byte(r)) && !isDigit(byte(r)) && r != '_' && r != '-' {
			return fmt.Sprintf("character %q is not allowed (use letters, digits, _ and -)", r)
		}
	}
	return ""
}

// ValidExtensionID reports whether id is a VS Code extension identifier of
// the form "publisher.name", where both parts start with an ASCII letter or
// digit and continue with ASCII letters, digits or hyphens (the rules the VS
// Code Marketplace applies). The error wraps usererr.ErrBadInput.
func ValidExtensionID(id string) error {
	if reason := extensionProblem(id); reason != "" {
		return usererr.Errorf("invalid extension ID %q: %s", id, reason)
	}
	return nil
}

// extensionProblem returns why id is not a valid extension ID, or "".
func extensionProblem(id string) string {
	publisher, name, ok := strings.Cut(id, ".")
	if !ok || strings.Contains(name, ".") {
		return `it must have the form "publisher.name"`
	}
	for _, part := range []string{publisher, name} {
		if part == "" {
			return `it must have the form "publisher.name"`
		}
		if !isLetter(part[0]) && !isDigit(part[0]) {
			return fmt.Sprintf("%q must start with a letter or digit", part)
		}
		for _, r := range part {
			if r > 0x7f || !isLetter(byte(r)) && !isDigit(byte(r)) && r != '-' {
				return fmt.Sprintf("character %q is not allowed (use letters, digits and -)", r)
			}
		}
	}
	return ""
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
