{
  /* inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05-small"; */
  # inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
  inputs/* a */./* b */nixpkgs # c
    .url /* d */ = # e "x"
      "github:NixOS/nixpkgs/nixos-26.11-small" # f
    ; # g
  outputs = { self, nixpkgs }: { };
}
