{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.11-small";
  outputs = { self, nixpkgs }: { };
}
