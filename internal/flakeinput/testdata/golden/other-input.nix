{
  inputs.stable.url = "github:NixOS/nixpkgs/nixos-26.11-small";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
  inputs.other.inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
  nixConfig.extra-substituters = [ "github:NixOS/nixpkgs/nixos-26.05-small" ];
  outputs = { self, ... }@inputs: { };
}
