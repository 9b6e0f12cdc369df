// Package nixtest is a fake Nix for the tests that must run without one:
// a chroot store on disk, and a nix that answers in this process (through
// nix.Driver.Exec) the commands that nixlayer runs on a work directory of
// its flake, from a nixpkgs that the test fills with packages:
//
//	nix eval --json -- path:DIR#nixlayer.SYSTEM       the plan of DIR/request.json, as nix/plan.nix makes it
//	nix build --json --no-link -- path:DIR#legacyPackages.SYSTEM.ATTR …
//	nix path-info --json --recursive -- PATH …
//	nix show-derivation --recursive -- DRV …          (nix derivation show fails, as on Nix 2.8)
//
// Each answer has the shape that Debian's Nix 2.8, the Nix of the real
// tests, prints: each is copied from its output on the test universe (see
// answers.go). As in a real store, a path's files are on disk only once
// it is built, path-info fails for a path that is not, and Lose takes a
// path away as a garbage collection does. Calls tells which subcommands
// ran, so that a test can check what was asked of Nix, and Refuse makes
// some fail.
//
//	n := nixtest.New(t, "x86_64-linux")
//	libc := n.Path("glibc-2.40", nixtest.Files{"lib/libc.so.6": "ELF"})
//	n.Package("hello", "hello-2.12.2", nixtest.Files{"bin/hello": "ELF"}, libc)
//	d := n.Driver() // runs no nix program
//
// What it does not model: overlays and input overrides (it refuses them),
// the registration database of a devcontainer, and evaluation errors. A
// NAR hash is a hash of the path's files, not of their NAR serialisation.
package nixtest
