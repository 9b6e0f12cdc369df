{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs?ref=nixos-26.05-small&shallow=1";
  outputs = { self, nixpkgs }: { };
}
