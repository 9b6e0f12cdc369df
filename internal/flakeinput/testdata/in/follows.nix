{
  inputs.nixpkgs.follows = "stable";
  inputs.stable.url = "github:NixOS/nixpkgs/nixos-26.05-small";
  outputs = { self, nixpkgs, stable }: { };
}
