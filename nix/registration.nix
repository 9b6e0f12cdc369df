# The Nix database of an image: every store path in the closure of roots,
# registered as valid, so that the Nix inside a devcontainer knows the
# store it runs on. This is what dockerTools does: closureInfo gives the
# registration, `nix-store --load-db` loads it into a fresh database, and
# every registration time is set to epoch so the database is reproducible.
#
# $out/db.sqlite and $out/schema go to /nix/var/nix/db in the image.
{ pkgs, roots, epoch }:
let
  info = pkgs.closureInfo { rootPaths = roots; };
in
pkgs.runCommand "nixlayer-db" { nativeBuildInputs = [ pkgs.nix pkgs.sqlite ]; } ''
  export NIX_REMOTE="local?root=$PWD/root" HOME=$PWD USER=nobody
  nix-store --load-db < ${info}/registration
  sqlite3 root/nix/var/nix/db/db.sqlite "UPDATE ValidPaths SET registrationTime = ${toString epoch}"
  mkdir -p $out
  cp root/nix/var/nix/db/db.sqlite root/nix/var/nix/db/schema $out/
''
