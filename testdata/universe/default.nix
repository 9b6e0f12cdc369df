# The universe's nixpkgs interface: `import nixpkgs { system; overlays; config; }`.
# Overlays compose as in nixpkgs: each is `final: prev: { ... }`, sees the
# finished set as `final` and the set before it as `prev`.
{ system ? "x86_64-linux", overlays ? [ ], config ? { }, ... }:
let
  lib = import ./lib.nix;
  base = final: import ./packages.nix { inherit final lib system config; };
  extend = acc: overlay: final: let prev = acc final; in prev // overlay final prev;
in
if system != "x86_64-linux"
then throw "the nixlayer test universe has only x86_64-linux packages (asked for ${system})"
else lib.fix (builtins.foldl' extend base overlays)
