{
  inputs = import ./inputs.nix;
  outputs = { self, nixpkgs }: { };
}
