{
  inputs.nixpkgs.url = ''github:NixOS/nixpkgs/nixos-26.05-small'';
  outputs = { self, nixpkgs }: { };
}
