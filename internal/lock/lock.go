package lock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Version is the flake.lock version that Parse accepts.
const Version = 7

// Lock is a parsed flake.lock. It is immutable.
type Lock struct {
	// inputs are the root node's inputs, by name.
	inputs map[string]input
}

// input is one entry of a node's inputs: a node name, or a follows path.
type input struct {
	node    string
	follows []string // non-nil when the input follows another input
	pin     Pin      // for the root's inputs that name a node; unchecked
}

// node is one entry of "nodes", decoded as far as Parse checks it.
type node struct {
	Inputs   json.RawMessage `json:"inputs"`
	Locked   json.RawMessage `json:"locked"`
	Original json.RawMessage `json:"original"`
	inputs   map[string]json.RawMessage
}

// Parse decodes a flake.lock of version 7 and checks its structure: every
// input names an existing node or is a follows path, every node but the
// root is locked with a type, and the entries of the root's direct inputs
// have the types Nix writes (strings, an integer lastModified). Whether
// such an input is locked to a commit is Input's to check, since a lock
// may pin one to a path (see Locked). An error starts with
// "parsing flake.lock: ".
func Parse(data []byte) (*Lock, error) {
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, syntaxError(data, err)
	}
	if raw = bytes.TrimSpace(raw); raw[0] != '{' {
		return nil, malformed("the top level must be an object, not %s", kindOf(raw))
	}
	var top struct {
		Version json.RawMessage `json:"version"`
		Root    json.RawMessage `json:"root"`
		Nodes   json.RawMessage `json:"nodes"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, syntaxError(raw, err)
	}
	if err := checkVersion(top.Version); err != nil {
		return nil, err
	}
	nodes, err := decodeNodes(top.Nodes)
	if err != nil {
		return nil, err
	}
	root, err := decodeString(top.Root, "root")
	if err != nil {
		return nil, err
	}
	if root == "" {
		return nil, malformed("it has no root")
	}
	if _, ok := nodes[root]; !ok {
		return nil, malformed("the root %q is not one of its nodes", root)
	}
	l := &Lock{inputs: map[string]input{}}
	for _, name := range slices.Sorted(maps.Keys(nodes)) {
		inputs, err := decodeInputs(name, nodes)
		if err != nil {
			return nil, err
		}
		if name != root {
			if _, err := lockedFields(name, nodes[name]); err != nil {
				return nil, err
			}
		} else {
			l.inputs = inputs
		}
	}
	for _, name := range l.Inputs() {
		in := l.inputs[name]
		if in.follows != nil {
			continue
		}
		if in.pin, err = decodePin(in.node, nodes[in.node]); err != nil {
			return nil, err
		}
		l.inputs[name] = in
	}
	return l, nil
}

// checkVersion checks the "version" entry.
func checkVersion(raw json.RawMessage) error {
	if isAbsent(raw) {
		return malformed("it has no version")
	}
	var v int
	if err := json.Unmarshal(raw, &v); err != nil {
		return malformed("version must be an integer, not %s", kindOf(raw))
	}
	if v != Version {
		return malformed("version %d is not supported (want %d)", v, Version)
	}
	return nil
}

// decodeNodes decodes the "nodes" entry.
func decodeNodes(raw json.RawMessage) (map[string]*node, error) {
	if isAbsent(raw) {
		return nil, malformed("it has no nodes")
	}
	var objs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &objs); err != nil {
		return nil, malformed("nodes must be an object, not %s", kindOf(raw))
	}
	nodes := make(map[string]*node, len(objs))
	for name, obj := range objs {
		n := &node{}
		if bytes.TrimSpace(obj)[0] != '{' || json.Unmarshal(obj, n) != nil {
			return nil, malformed("node %q must be an object, not %s", name, kindOf(obj))
		}
		if !isAbsent(n.Inputs) && json.Unmarshal(n.Inputs, &n.inputs) != nil {
			return nil, malformed("node %q: inputs must be an object, not %s", name, kindOf(n.Inputs))
		}
		nodes[name] = n
	}
	return nodes, nil
}

// decodeInputs decodes and checks the inputs of the named node.
func decodeInputs(name string, nodes map[string]*node) (map[string]input, error) {
	out := make(map[string]input, len(nodes[name].inputs))
	for _, key := range slices.Sorted(maps.Keys(nodes[name].inputs)) {
		raw := nodes[name].inputs[key]
		var in input
		if json.Unmarshal(raw, &in.node) == nil && !isAbsent(raw) {
			if _, ok := nodes[in.node]; !ok {
				return nil, malformed("node %q: input %q names node %q, which is not one of its nodes", name, key, in.node)
			}
		} else if json.Unmarshal(raw, &in.follows) != nil || in.follows == nil {
			return nil, malformed("node %q: input %q must be a node name or a follows path (a list of input names), not %s", name, key, kindOf(raw))
		}
		out[key] = in
	}
	return out, nil
}

// decodeString decodes an optional string entry named what.
func decodeString(raw json.RawMessage, what string) (string, error) {
	if isAbsent(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", malformed("%s must be a string, not %s", what, kindOf(raw))
	}
	return s, nil
}

// isAbsent reports whether an entry is missing or null.
func isAbsent(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// Inputs returns the names of the root's inputs, sorted.
func (l *Lock) Inputs() []string {
	return slices.Sorted(maps.Keys(l.inputs))
}

// Input returns the pin of the root's input called name, such as
// "nixpkgs", which must be locked to a commit (see Pin). It fails when the
// root has no such input, when the input follows another flake's input,
// which has no lock entry of its own, and when its entry is not a Pin (with
// an error that starts with "parsing flake.lock: ", as Parse's do).
func (l *Lock) Input(name string) (Pin, error) {
	in, err := l.lookup(name)
	if err != nil {
		return Pin{}, err
	}
	if err := in.pin.check(in.node); err != nil {
		return Pin{}, err
	}
	return in.pin, nil
}

// lookup returns the root's input called name, which names a node.
func (l *Lock) lookup(name string) (input, error) {
	in, ok := l.inputs[name]
	switch {
	case !ok:
		known := "it has none"
		if len(l.inputs) > 0 {
			known = "its inputs are " + strings.Join(l.Inputs(), ", ")
		}
		return input{}, fmt.Errorf("looking up input %q in flake.lock: the root has no such input; %s", name, known)
	case in.follows != nil:
		return input{}, fmt.Errorf("looking up input %q in flake.lock: it follows %q, which nixlayer does not resolve; lock it on its own", name, strings.Join(in.follows, "/"))
	}
	return in, nil
}
