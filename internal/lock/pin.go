package lock

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Pin is where a direct input of the lock's root is locked: the "locked"
// entry of its node, with the ref it follows from "original".
type Pin struct {
	// Type is the kind of source, such as "github".
	Type string `json:"type"`
	// Owner and Repo name the repository of a github, gitlab or sourcehut
	// source, such as "NixOS" and "nixpkgs"; they may be empty for other
	// types.
	Owner string `json:"owner,omitempty"`
	Repo  string `json:"repo,omitempty"`
	// Ref is the branch or tag the input follows, such as
	// "nixos-26.05-small", or "" when the input names no ref.
	Ref string `json:"ref,omitempty"`
	// Rev is the locked commit, 40 (or for SHA-256 repositories 64)
	// lower-case hexadecimal digits.
	Rev string `json:"rev"`
	// NarHash is the SRI hash of the source tree, "sha256-…".
	NarHash string `json:"narHash"`
	// LastModified is the commit time, in seconds since 1970 (UTC).
	LastModified int64 `json:"lastModified"`
}

// Time returns the commit time of the pin, in UTC.
func (p Pin) Time() time.Time {
	return time.Unix(p.LastModified, 0).UTC()
}

// Report describes the pin for people and scripts: one "key: value" line
// each for the type, the repository (owner/repo), the ref, the commit, the
// commit time (RFC 3339, UTC) and the NAR hash, leaving out empty values.
func (p Pin) Report() string {
	var b strings.Builder
	line := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", key, value)
		}
	}
	repo := p.Repo
	if p.Owner != "" && p.Repo != "" {
		repo = p.Owner + "/" + p.Repo
	}
	line("type", p.Type)
	line("repo", repo)
	line("ref", p.Ref)
	line("rev", p.Rev)
	line("lastModified", p.Time().Format(time.RFC3339))
	line("narHash", p.NarHash)
	return b.String()
}

// forges are the source types whose lock entry names an owner and a repo.
var forges = map[string]bool{"github": true, "gitlab": true, "sourcehut": true}

// decodePin decodes the lock entry of a direct input of the root, the node
// called name, checking only the types of its fields (see Pin.check).
func decodePin(name string, n *node) (Pin, error) {
	locked, err := lockedFields(name, n)
	if err != nil {
		return Pin{}, err
	}
	original, err := objectFields(name, "original", n.Original)
	if err != nil {
		return Pin{}, err
	}
	var p Pin
	p.Type, _ = locked.str("type") // checked by lockedFields
	for _, f := range []struct {
		dst *string
		key string
		in  fields
	}{
		{&p.Owner, "owner", locked},
		{&p.Repo, "repo", locked},
		{&p.Rev, "rev", locked},
		{&p.NarHash, "narHash", locked},
		{&p.Ref, "ref", original},
	} {
		if *f.dst, err = f.in.str(f.key); err != nil {
			return Pin{}, err
		}
	}
	if p.Ref == "" {
		if p.Ref, err = locked.str("ref"); err != nil {
			return Pin{}, err
		}
	}
	if p.LastModified, err = locked.int("lastModified"); err != nil {
		return Pin{}, err
	}
	return p, nil
}

// check checks what Input promises of a Pin, for the node called name: a
// commit, a sha256 narHash and a commit time, and no control characters.
func (p Pin) check(name string) error {
	switch {
	case forges[p.Type] && p.Owner == "":
		return malformed("node %q has no locked owner", name)
	case forges[p.Type] && p.Repo == "":
		return malformed("node %q has no locked repo", name)
	case p.Rev == "":
		return malformed("node %q has no locked rev", name)
	case !isCommit(p.Rev):
		return malformed("node %q has a locked rev %q that is not a commit hash", name, p.Rev)
	case p.NarHash == "":
		return malformed("node %q has no locked narHash", name)
	case !isSHA256SRI(p.NarHash):
		return malformed("node %q has a locked narHash %q that is not a sha256 hash (sha256-…)", name, p.NarHash)
	case p.LastModified == 0:
		return malformed("node %q has no locked lastModified", name)
	case p.LastModified < 0:
		return malformed("node %q has a locked lastModified of %d, before 1970", name, p.LastModified)
	}
	for _, f := range []struct{ key, value string }{{"type", p.Type}, {"owner", p.Owner}, {"repo", p.Repo}, {"ref", p.Ref}} {
		if strings.ContainsFunc(f.value, unicode.IsControl) {
			return malformed("node %q has a %s %q with a control character", name, f.key, f.value)
		}
	}
	return nil
}

// isCommit reports whether s is a git commit hash: 40 (SHA-1) or 64
// (SHA-256) lower-case hexadecimal digits.
func isCommit(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isSHA256SRI reports whether s is an SRI sha256 hash, as Nix writes
// narHash.
func isSHA256SRI(s string) bool {
	b64, ok := strings.CutPrefix(s, "sha256-")
	if !ok {
		return false
	}
	sum, err := base64.StdEncoding.Strict().DecodeString(b64)
	return err == nil && len(sum) == 32
}

// fields are the entries of one object of a node, such as "locked".
type fields struct {
	node, where string
	m           map[string]json.RawMessage
}

// lockedFields returns the "locked" entry of the node called name, which
// every node but the root has, with a type.
func lockedFields(name string, n *node) (fields, error) {
	if isAbsent(n.Locked) {
		return fields{}, malformed("node %q has no locked entry", name)
	}
	locked, err := objectFields(name, "locked", n.Locked)
	if err != nil {
		return fields{}, err
	}
	typ, err := locked.str("type")
	if err != nil {
		return fields{}, err
	}
	if typ == "" {
		return fields{}, malformed("node %q has no locked type", name)
	}
	return locked, nil
}

// objectFields decodes an optional object entry of the node called name.
func objectFields(name, where string, raw json.RawMessage) (fields, error) {
	f := fields{node: name, where: where}
	if isAbsent(raw) {
		return f, nil
	}
	if bytes.TrimSpace(raw)[0] != '{' || json.Unmarshal(raw, &f.m) != nil {
		return fields{}, malformed("node %q: %s must be an object, not %s", name, where, kindOf(raw))
	}
	return f, nil
}

// str returns a string entry, or "" if it is missing or null.
func (f fields) str(key string) (string, error) {
	s, err := decodeString(f.m[key], key)
	if err != nil {
		return "", malformed("node %q: %s.%s must be a string, not %s", f.node, f.where, key, kindOf(f.m[key]))
	}
	return s, nil
}

// int returns an integer entry, or 0 if it is missing or null.
func (f fields) int(key string) (int64, error) {
	raw := f.m[key]
	if isAbsent(raw) {
		return 0, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, malformed("node %q: %s.%s must be an integer, not %s", f.node, f.where, key, kindOf(raw))
	}
	return n, nil
}
