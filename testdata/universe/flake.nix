{
  description = "nixlayer test universe: an offline stand-in for nixpkgs";

  outputs = { self }: {
    legacyPackages.x86_64-linux = import ./. { system = "x86_64-linux"; };
    lib = import ./lib.nix;
  };
}
