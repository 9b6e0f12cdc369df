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
in
debian // standins // {
  inherit lib;

  # A static busybox with one symlink per applet: the shell and tools that
  # every builder runs with.
  busybox = lib.mkDerivation {
    pname = "busybox";
    version = "1.35.0";
    inherit system;
    builder = "${bb}/busybox";
    bb = "${bb}/busybox";
    args = [ "sh" "-euc" ''
      mkdir -p $out/bin
      cp $bb $out/bin/busybox
      for a in $($bb --list); do [ "$a" = busybox ] || $bb ln -s busybox $out/bin/$a; done
    '' ];
  };

  # nixpkgs' fetchers, offline. A source is a small derivation whose
  # environment holds what the fetcher was given, as nixpkgs' fetchers leave
  # it: fetchurl's url, and for git sources the url with rev and tag, as
  # fetchgit's. Its output is a file that names the source: nothing reaches
  # the network. The attributes a fetcher call has in nixpkgs (url, owner,
  # repo, rev, tag) are on the result too, for plan.nix.
  fetchurl = { url, name ? "source", sha256 ? "", passthru ? { } }:
    derivation {
      inherit name system url sha256;
      builder = "${bb}/busybox";
      args = [ "sh" "-euc" ''echo "$url" > $out'' ];
    } // { inherit url; } // passthru;

  # fetchFromGitHub { owner; repo; tag; rev; }: rev is the tag unless a
  # commit is given, in which case the source records both, so that OSV's
  # GIT ranges can match it by tag and commit.
  fetchFromGitHub = { owner, repo, tag ? null, rev ? tag }:
    let
      url = "https://github.com/${owner}/${repo}/archive/${if tag != null then tag else rev}.tar.gz";
    in
    derivation ({
      name = "source";
      inherit system url rev;
      builder = "${bb}/busybox";
      args = [ "sh" "-euc" ''echo "$url $rev" > $out'' ];
    } // (if tag != null then { inherit tag; } else { })) // { inherit owner repo rev tag url; };

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
