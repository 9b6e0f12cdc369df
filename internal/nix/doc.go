// Package nix drives the nix command-line tool for nixlayer: it evaluates
// and builds flake outputs and reads the closure of the built store paths,
// which nixlayer then packs into OCI image layers.
//
// A [Driver] runs one nix command per call, never through a shell, with the
// "nix-command" and "flakes" experimental features enabled. Its output is
// decoded into Go values that do not depend on the Nix version: Nix 2.8
// (Debian's nix-bin) and current Nix print "nix path-info --json" in
// different shapes, and [DecodePathInfo] accepts all of them, returning
// full store paths and SRI hashes.
//
// Failures come back as errors that say what to do: [ErrNotInstalled] when
// the nix binary is missing, a [*CommandError] holding the end of nix's
// standard error when a command fails, and the context's error when a
// command is cancelled.
//
// A typical use builds a flake output and reads its closure:
//
//	d := &nix.Driver{
//		Store:     "/tmp/build/root", // a chroot store; "" for /nix/store
//		FlakeArgs: []string{"--override-input", "nixpkgs", "path:/src/nixpkgs"},
//		Progress:  os.Stderr,
//	}
//	results, err := d.Build(ctx, []string{"path:/src/app#default"})
//	if err != nil {
//		return err
//	}
//	closure, err := d.PathInfo(ctx, results[0].Paths()...)
//	if err != nil {
//		return err
//	}
//	for _, p := range closure.TopoSort() { // dependencies first
//		info, _ := closure.Lookup(p)
//		fmt.Println(d.Root().Path(p), info.NarSize, info.NarHash)
//	}
package nix
