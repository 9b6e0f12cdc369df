# A development shell of attrs, for `nix develop` and direnv's `use flake`:
# PATH holds the bin and sbin directories of each package, in request
# order, as an image links them into /usr/bin (the first package's program
# wins), and nothing else. nixpkgs' mkShell would add its stdenv's
# compiler, make and coreutils, store paths that no image of the sets has;
# this shell's store paths are the image's.
#
# `nix develop` runs the derivation's builder, which must be bash, with a
# script of its own that dumps the environment; `nix build` of it writes a
# note.
{ pkgs, system, name, attrs }:
let
  lookup = import ./lookup.nix pkgs;
  package = a:
    let r = lookup a; in
    if r.found then r.value else throw "nixlayer's dev shell ${name}: nixpkgs has no attribute ${a}";
  packages = map package attrs;
in
derivation {
  name = "nixlayer-shell-${name}";
  inherit system;
  builder = "${pkgs.bashInteractive}/bin/bash";
  outputs = [ "out" ];
  PATH = builtins.concatStringsSep ":" (builtins.concatMap (p: [ "${p}/bin" "${p}/sbin" ]) packages);
  args = [ "-c" ''echo "a nixlayer dev shell: open it with nix develop or direnv's use flake" > "$out"'' ];
}
