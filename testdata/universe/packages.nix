# The universe's package set: bootstrap tools, real Debian programs
# (debian.nix) and busybox-built stand-ins (standins.nix), under the
# nixpkgs attribute names the nixlayer catalog uses. `platform` is the
# system's entry of systems.json (see default.nix).
{ final, lib, system, config, platform }:
let
  debian = import ./debian.nix { inherit final lib system platform; };
  standins = import ./standins.nix { inherit final lib system platform; };
  # The system's static busybox, in a directory of its own: the file must be
  # named busybox, since busybox picks the applet from argv[0].
  bb = ./. + "/${platform.busybox}";
  # nixpkgs' fetchers (fetchurl, fetchzip, fetchgit, fetchFromGitHub,
  # fetchFromGitLab) and srcOnly, offline, with nixpkgs' derivation shapes.
  # They build with the busybox file itself, so that busybox's own source
  # is a fetch too.
  fetchers = import ./fetchers.nix { inherit final lib system bb; };
in
debian // standins // fetchers // {
  inherit lib;

  # A static busybox with one symlink per applet: the shell and tools that
  # every builder runs with.
  busybox = lib.mkDerivation {
    pname = "busybox";
    version = "1.35.0";
    inherit system;
    # pkgs/os-specific/linux/busybox/default.nix: busybox.net (a template
    # as known, not read again for the universe).
    src = final.fetchurl { url = "https://busybox.net/downloads/busybox-1.35.0.tar.bz2"; };
    builder = "${bb}/busybox";
    bb = "${bb}/busybox";
    args = [ "sh" "-euc" ''
      mkdir -p $out/bin
      cp $bb $out/bin/busybox
      for a in $($bb --list); do [ "$a" = busybox ] || $bb ln -s busybox $out/bin/$a; done
    '' ];
  };

  # pkgs.runCommand name env script: script runs under busybox sh, with the
  # bin directories of env.nativeBuildInputs first in PATH.
  runCommand = name: env: script: derivation (builtins.removeAttrs env [ "nativeBuildInputs" ] // {
    inherit name system;
    builder = "${final.busybox}/bin/busybox";
    args = [ "sh" "-euc" script ];
    PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") (env.nativeBuildInputs or [ ]) ++ [ "${final.busybox}/bin" ]);
  });

  # pkgs.closureInfo { rootPaths }: $out/registration is the closure of
  # rootPaths in the format of `nix-store --load-db`, and $out/store-paths
  # lists it, as nixpkgs' closureInfo gives them. Nix exports the graph
  # (with narHash and narSize) into .attrs.json.
  closureInfo = { rootPaths }: derivation {
    name = "closure-info";
    inherit system;
    __structuredAttrs = true;
    exportReferencesGraph.closure = rootPaths;
    builder = "${final.busybox}/bin/busybox";
    args = [ "sh" "-euc" ''
      # Not $NIX_ATTRS_JSON_FILE: Nix 2.8 sets it to the path outside the sandbox.
      attrs=$NIX_BUILD_TOP/.attrs.json
      out=$(${final.jq}/bin/jq -r .outputs.out "$attrs")
      ${final.busybox}/bin/mkdir -p "$out"
      ${final.jq}/bin/jq -r '.closure | sort_by(.path) | .[] | .path, .narHash, (.narSize | tostring), "", (.references | length | tostring), .references[]' "$attrs" > "$out/registration"
      ${final.jq}/bin/jq -r '.closure | map(.path) | sort | .[]' "$attrs" > "$out/store-paths"
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
