# The universe's package set: bootstrap tools, real Debian programs
# (debian.nix) and busybox-built stand-ins (standins.nix), under the
# nixpkgs attribute names the nixlayer catalog uses.
{ final, lib, system, config }:
let
  debian = import ./debian.nix { inherit final lib system; };
  standins = import ./standins.nix { inherit final lib system; };
in
debian // standins // {
  inherit lib;

  # A static busybox with one symlink per applet: the shell and tools that
  # every builder runs with.
  busybox = lib.mkDerivation {
    pname = "busybox";
    version = "1.35.0";
    inherit system;
    builder = "${./bb}/busybox";
    bb = "${./bb}/busybox";
    args = [ "sh" "-euc" ''
      mkdir -p $out/bin
      cp $bb $out/bin/busybox
      for a in $($bb --list); do [ "$a" = busybox ] || $bb ln -s busybox $out/bin/$a; done
    '' ];
  };

  # nixpkgs names for the real programs.
  bashInteractive = final.bash;
  stdenv = { cc = { cc = { lib = final.gcc-lib; }; }; };
  python312 = final.python3;
  openssl = final.libssl3;
  zlib = final.zlib1g;
  icu = final.libicu72;
}
