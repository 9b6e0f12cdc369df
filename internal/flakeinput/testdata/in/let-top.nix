let branch = "nixos-26.05-small"; in
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/${branch}";
  outputs = { self, nixpkgs }: { };
}
