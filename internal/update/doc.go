// Package update moves the nixpkgs pin of nixlayer's flake (nix/flake.lock)
// and reports what the move changes, as nixlayer update-nixpkgs and the
// Dagger module's update-nixpkgs run it.
//
// The lock moves only through Nix, in a copy of the flake directory:
//
//	nix flake lock --update-input nixpkgs          (Nix before 2.19)
//	nix flake update --flake path:COPY nixpkgs     (Nix 2.19 and later)
//	nix flake lock --override-input nixpkgs URL    (--to REV: the input's URL, naming REV)
//
// With BumpRelease, the input's URL in flake.nix first moves to the newest
// nixos-YY.MM-small branch that GitHub lists (internal/github), by a
// rewrite of that one string literal (internal/flakeinput). Nix computes
// narHash and lastModified; Run then checks, with lock.ChangedNodes, that
// the nixpkgs node is the only one that changed, and refuses otherwise.
//
// Then both pins are evaluated, each in a work directory of its own copy,
// with a lenient plan of every catalog attribute (an attribute that one
// pin lacks fails neither), and their catalogs are read as builds read them
// (catalog.Source: the local store after building, or a binary cache's
// narinfo files). From those come the report (internal/changes): the
// version changes, the attributes added and removed, each set's closure
// size, and for each standard image the compressed bytes of its store
// layers that the old image lacks. Store layers are dated the same whatever
// the pin, so a layer whose paths (Layer.ID) both pins plan is the same
// blob, and only the new layers are compressed, into the blob cache that
// builds use.
//
// Nothing is written until everything succeeded: Run returns the new
// flake.nix and flake.lock with the report, and Result.Write writes them,
// each atomically, only after checking that the originals did not change
// meanwhile:
//
//	res, err := update.Run(ctx, update.Options{Flake: "nix", Driver: d, System: "x86_64-linux", CacheDir: cache})
//	if err != nil {
//		return err // nothing was written
//	}
//	err = res.Write(update.Files{Markdown: "CHANGES.md", JSON: "changes.json"})
//
// A Scanner, when one is given, scans both pins; with FailIfNewVulns, an
// update that raises the number of findings at or above Threshold is
// refused. ProgramScanner is the one the CLI gives: it writes the SBOM of
// each pin's whole catalog closure and runs nixlayer-scan on it, so that a
// finding is one of a catalog attribute (or of a dependency, by name):
//
//	o.Scanner = update.ProgramScanner{Program: "nixlayer-scan", Args: scanner.Args{DB: "osv"}, Driver: d}
//	o.FailIfNewVulns = true // refuse: CVE-2026-1 in bats, introduced
package update
