{
  /* inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11-small";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
}
