package nix

import "testing"

// TestCheckStorePath checks the store paths images name: in /nix/store,
// with a hash of Nix's base-32 alphabet and a name Nix accepts.
func TestCheckStorePath(t *testing.T) {
	const hash = "0a2jkvb6dcq8dmcjrmjnxxf2yb9qwb3r"
	for _, tt := range []struct {
		path string
		ok   bool
	}{
		{"/nix/store/" + hash + "-zlib-1.3.1", true},
		{"/nix/store/" + hash + "-bash-5.2p15", true},
		{"/nix/store/" + hash + "-zlib-1.3.1/lib", false},           // a file inside a store path
		{"/gnu/store/" + hash + "-zlib-1.3.1", false},               // another store directory
		{"/nix/store/" + hash[:31] + "-zlib", false},                // a short hash
		{"/nix/store/0a2jkvb6dcq8dmcjrmjnxxf2yb9qwbeu-zlib", false}, // e and u are not base-32
		{"/nix/store/" + hash + "-", false},                         // no name
		{"/nix/store/" + hash + "-a b", false},                      // a space
		{hash + "-zlib-1.3.1", false},                               // a base name
	} {
		if err := CheckStorePath(tt.path); (err == nil) != tt.ok {
			t.Errorf("CheckStorePath(%q) = %v, want ok %v", tt.path, err, tt.ok)
		}
	}
}
