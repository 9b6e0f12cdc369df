{
  # inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
  inputs.flake-utils.url = "github:numtide/flake-utils";
  outputs = { self, flake-utils }: { };
}
