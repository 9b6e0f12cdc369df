{
  description = "inputs = { nixpkgs.url = \"github:NixOS/nixpkgs/nixos-26.05-small\"; }";

  inputs = {
    # The package set. Was "github:NixOS/nixpkgs/nixos-25.11-small".
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.11-small";
    flake-utils.url = "github:numtide/flake-utils";
    /* stable.url = "github:NixOS/nixpkgs/nixos-26.05-small"; */
  };

  outputs = { self, nixpkgs, flake-utils }: { };
}
