// Package lock reads the flake.lock of nixlayer's flake, to report which
// nixpkgs it pins and to date what is built from it.
//
// Parse accepts lock files of version 7, the format of current Nix. It checks
// the whole graph (every input names an existing node, every node but the
// root is locked) and decodes the entries of the root's direct inputs.
// Input then returns one of them as a Pin, and requires more of it, since
// nixlayer reports and dates it: it must be locked to a commit (rev), with a
// sha256 narHash and a lastModified time.
//
//	data, err := os.ReadFile("nix/flake.lock")
//	if err != nil {
//		return err
//	}
//	l, err := lock.Parse(data)
//	if err != nil {
//		return err // parsing flake.lock: version 5 is not supported (want 7)
//	}
//	pin, err := l.Input("nixpkgs")
//	if err != nil {
//		return err // parsing flake.lock: node "nixpkgs" has no locked rev
//	}
//	fmt.Print(pin.Report())
//	// type: github
//	// repo: NixOS/nixpkgs
//	// ref: nixos-26.05-small
//	// rev: 74cc63f702f7d60a557e152a57b40fb1fd0f72ac
//	// lastModified: 2026-07-08T22:16:59Z
//	// narHash: sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=
//
// Pin.Time is the time of the pinned commit. It is the one source of time
// for anything that must be reproducible, such as the creation time of an
// image: the same lock gives the same time.
//
// Locked reads the same entry, unchecked, as a Source, for a lock that may
// pin nixpkgs to a path (nix flake lock --override-input nixpkgs path:…),
// which has no rev: the work directory of a build.
//
// # Errors
//
// Every error is one line. A file that is not a valid version 7 lock gives
// an error that starts with "parsing flake.lock: ", and so does Input for an
// input that is not locked to a commit, such as
//
//	parsing flake.lock: version 5 is not supported (want 7)
//	parsing flake.lock: at 4:5: invalid character '}' looking for beginning of object key string
//
// where a JSON syntax error gives its line and column. Input's errors, for
// a name the root has no input for and for an input that follows another
// flake's input, start with "looking up input".
//
// The package does no I/O.
package lock
