// Package devshell gives nixlayer's sets as dev shells, for work without a
// container: `nix develop` and direnv's `use flake` on a copy of
// nixlayer's flake whose request names the shells get the store paths of
// nixlayer's images of the same sets, from the same pinned nixpkgs, on
// PATH in the images' order, and nothing else (see nix/shell.nix).
//
// Request adds the shells to a flake request: Default, for the request
// itself (its sets and extra packages), and one per set of the catalog.
// nixlayer shell opens Default from a work directory it removes after;
// nixlayer envrc writes the work directory into the project, as Dir, and
// an .envrc (see Envrc) that uses it:
//
//	req = devshell.Request(req, catalog)
//	// flake.Prepare(".nixlayer", nixflake.Files, req), then lock it
//	os.WriteFile(".envrc", devshell.Envrc(sel.Sets, packages), 0o644)
//
// The directory is a whole flake, with flake.lock, so the project's shell
// stays on nixlayer's pin (or the --nixpkgs it was written with) until
// nixlayer envrc writes it again, and needs neither nixlayer nor the
// network beyond nixpkgs' binary cache.
package devshell
