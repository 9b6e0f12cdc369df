{
  description = "a \" # not a comment /* nor this ${"}"} $${x} \\";
  nixConfig = { bash-prompt = ''
    ''' ''${x} ''$ ''\n '${"}"}' $'
  ''; };
  inputs."nixpkgs".url = "github:NixOS/nixpkgs/nixos-26.05-small";
  outputs = { self, nixpkgs }:
    let
      x = with builtins; assert true; rec { a = 1; b = a; };
      u = github:a/*b;
      f = y: y/2;
      g' = x'': x'' ;
    in
    { inherit x u f; inherit (x) a; lib = nixpkgs.lib // { }; };
}
