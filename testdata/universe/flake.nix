{
  description = "nixlayer test universe: an offline stand-in for nixpkgs";

  # legacyPackages has every system of systems.json (see systems.nix).
  outputs = { self }: {
    legacyPackages = builtins.mapAttrs (system: _: import ./. { inherit system; }) (import ./systems.nix);
    lib = import ./lib.nix;
  };
}
