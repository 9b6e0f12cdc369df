package lock

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
)

// Node returns the name of the node that the root's input called name
// locks: "nixpkgs" for the input nixpkgs, unless Nix had to pick another
// name (such as "nixpkgs_2") for a clash. Its errors are Input's.
func (l *Lock) Node(name string) (string, error) {
	if _, err := l.Input(name); err != nil {
		return "", err
	}
	return l.inputs[name].node, nil
}

// ChangedNodes compares two lock files and returns, sorted, the names of
// the nodes that one has and the other lacks, or whose entries differ.
// Entries are compared as JSON values, so layout and key order do not
// count. A difference outside the nodes (the version, the name of the
// root node) is not a node's and gives an error, as does data that is not
// a JSON object with an object of nodes.
//
// A nixpkgs update checks with it that Nix moved one input and nothing
// else:
//
//	changed, err := lock.ChangedNodes(old, new)
//	// changed == ["nixpkgs"]
func ChangedNodes(old, new []byte) ([]string, error) {
	a, err := decodeTop(old, "the old lock")
	if err != nil {
		return nil, err
	}
	b, err := decodeTop(new, "the new lock")
	if err != nil {
		return nil, err
	}
	for _, key := range slices.Sorted(maps.Keys(union(a.top, b.top))) {
		if !reflect.DeepEqual(a.top[key], b.top[key]) {
			return nil, malformed("comparing two locks: their %q differs, outside the nodes", key)
		}
	}
	var changed []string
	for _, name := range slices.Sorted(maps.Keys(union(a.nodes, b.nodes))) {
		x, inA := a.nodes[name]
		y, inB := b.nodes[name]
		if inA != inB || !reflect.DeepEqual(x, y) {
			changed = append(changed, name)
		}
	}
	return changed, nil
}

// lockValues is a lock file decoded as JSON values: its nodes, and its
// other top-level entries.
type lockValues struct {
	top   map[string]any
	nodes map[string]any
}

// decodeTop decodes data, named what in errors, into lockValues. Numbers
// stay exact (json.Number).
func decodeTop(data []byte, what string) (lockValues, error) {
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil || top == nil {
		return lockValues{}, malformed("comparing two locks: %s is not a JSON object", what)
	}
	nodes, ok := top["nodes"].(map[string]any)
	if !ok {
		return lockValues{}, malformed("comparing two locks: %s has no object of nodes", what)
	}
	delete(top, "nodes")
	return lockValues{top: top, nodes: nodes}, nil
}

// union returns the keys of a and b, as a map to nothing.
func union[V any](a, b map[string]V) map[string]struct{} {
	out := make(map[string]struct{}, len(a)+len(b))
	for k := range a {
		out[k] = struct{}{}
	}
	for k := range b {
		out[k] = struct{}{}
	}
	return out
}
