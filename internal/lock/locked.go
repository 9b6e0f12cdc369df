package lock

import (
	"encoding/json"
	"fmt"
)

// Source is the locked entry of an input as Nix wrote it, for any source
// type. Unlike a Pin it is not checked: a path input, such as a nixpkgs
// given with --override-input, has no rev and a lastModified of 0.
type Source struct {
	Type         string `json:"type"`
	Rev          string `json:"rev"`
	NarHash      string `json:"narHash"`
	LastModified int64  `json:"lastModified"`
}

// Label names the source in one word: its rev, or else its narHash.
func (s Source) Label() string {
	if s.Rev != "" {
		return s.Rev
	}
	return s.NarHash
}

// Locked returns the locked entry of the node called name in the lock file
// data, such as "nixpkgs".
func Locked(data []byte, name string) (Source, error) {
	var raw struct {
		Nodes map[string]struct {
			Locked *Source `json:"locked"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return Source{}, fmt.Errorf("reading flake.lock: %w", err)
	}
	n, ok := raw.Nodes[name]
	if !ok || n.Locked == nil {
		return Source{}, fmt.Errorf("reading flake.lock: no locked node %q", name)
	}
	return *n.Locked, nil
}
