{
  inputs.nixpkgs = {
    url = "github:NixOS/nixpkgs/nixos-26.05-small";
    inputs.foo.follows = "bar";
  };
  inputs.home-manager = {
    url = "github:nix-community/home-manager/release-26.05";
    inputs.nixpkgs.follows = "nixpkgs";
  };
  outputs = inputs@{ self, ... }: { };
}
