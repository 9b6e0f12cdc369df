# The universe's nixpkgs interface: `import nixpkgs { system; overlays; config; }`.
# Overlays compose as in nixpkgs: each is `final: prev: { ... }`, sees the
# finished set as `final` and the set before it as `prev`.
#
# The systems are those of systems.json, which regen.sh writes from nixlayer's
# platform table (nix/platforms.json): for each, its Debian architecture,
# multiarch triplet and loader, and the names of its files.
{ system ? "x86_64-linux", overlays ? [ ], config ? { }, ... }:
let
  lib = import ./lib.nix;
  systems = import ./systems.nix;
  platform = systems.${system} or (throw "the nixlayer test universe has no ${system} packages (it has ${builtins.concatStringsSep " and " (builtins.attrNames systems)}): run testdata/universe/regen.sh");
  base = final: import ./packages.nix { inherit final lib system config platform; };
  extend = acc: overlay: final: let prev = acc final; in prev // overlay final prev;
in
lib.fix (builtins.foldl' extend base overlays)
