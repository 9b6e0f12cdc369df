{
  description = "nixlayer: nixpkgs package sets, pinned, for layered OCI images";

  # Every project that uses nixlayer gets nixpkgs from this one lock, so the
  # same attribute gives the same store path, and so the same layer.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";

  outputs = { self, nixpkgs }:
    let
      # nixlayer writes request.json (and the project's overlays under
      # project/) into a copy of this flake before it evaluates it.
      request =
        if builtins.pathExists ./request.json
        then builtins.fromJSON (builtins.readFile ./request.json)
        else { };

      # nixlayer's own overlays first, then the project's, in its order.
      overlays = [
        (import ./overlays/cve-patches.nix)
        (import ./overlays/license-fixes.nix)
        (import ./overlays/custom-builds.nix)
      ] ++ map (p: import (./. + "/${p}")) (request.overlays or [ ]);

      # The platforms nixlayer builds for, shared with its Go code.
      systems = map (p: p.system) (builtins.fromJSON (builtins.readFile ./platforms.json));
      forSystems = f: builtins.listToAttrs (map (system: { name = system; value = f system; }) systems);

      # An explicit config, so that no user's ~/.config/nixpkgs changes a build.
      pkgs = forSystems (system: import nixpkgs {
        inherit system overlays;
        config = { };
      });
    in
    {
      # The package set nixlayer builds from.
      legacyPackages = pkgs;

      # nixlayer.<system>: the plan for request.attrs (see plan.nix).
      nixlayer = forSystems (system: import ./plan.nix {
        pkgs = pkgs.${system};
        attrs = request.attrs or [ ];
        lenient = request.lenient or false;
      });

      # devShells.<system>.<name>: one dev shell per entry of
      # request.shells, a name and its attributes (see shell.nix): nixlayer
      # writes "default" for the request and one per set.
      devShells = forSystems (system: builtins.mapAttrs
        (name: attrs: import ./shell.nix { pkgs = pkgs.${system}; inherit system name attrs; })
        (request.shells or { }));

      # nixlayerDb.<system>: the Nix database that registers the closure of
      # request.attrs, with request.epoch as every registration time (see
      # registration.nix). Devcontainers ship it, so Nix works inside.
      nixlayerDb = forSystems (system: import ./registration.nix {
        pkgs = pkgs.${system};
        roots = map (a: (import ./lookup.nix pkgs.${system} a).value) (request.attrs or [ ]);
        epoch = request.epoch or 1;
      });
    };
}
