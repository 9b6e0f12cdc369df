# Real programs from Debian packages (see regen.sh and the system's manifest,
# such as manifest.json or manifest-arm64.json). Each entry of `groups` is one
# store path made of one or more .deb files; every other Debian package in
# the manifest is a store path of its own, named after the package.
# Dependencies come from the ELF sonames each package needs, so references
# and closures are the real ones. `platform` is the system's entry of
# systems.json: its Debian architecture, multiarch triplet, loader and files.
# Each package's src, patches and structured attributes are those of the
# nixpkgs expression that builds the program (sources.nix); the programs
# themselves come from the .deb files.
{ final, lib, system, platform }:
let
  manifestFile = ./. + "/${platform.manifest}";
  manifest =
    if builtins.pathExists manifestFile
    then builtins.fromJSON (builtins.readFile manifestFile)
    else throw "the nixlayer test universe has no ${platform.manifest}: run testdata/universe/regen.sh";

  # The fixed-output hashes of the packages of architecture "all" (see
  # noarch below), which regen.sh writes.
  noarchHashes =
    if builtins.pathExists ./noarch.json
    then builtins.fromJSON (builtins.readFile ./noarch.json)
    else { };

  nixpkgs = import ./sources.nix { inherit final lib manifest; };

  groups = {
    glibc = { debs = [ "libc6" ]; patchelf = false; pname = "glibc"; meta.identifiers = lib.cpe "gnu" "glibc" "2.36"; meta.license.spdxId = "LGPL-2.1-or-later"; };
    gcc-lib = { debs = [ "libstdc++6" "libgcc-s1" ]; pname = "gcc"; meta.license.spdxId = "GPL-3.0-or-later"; };
    bootstrap-tools = { debs = [ "patchelf" "libstdc++6" "libgcc-s1" ]; patchelf = false; };
    pam = { debs = [ "libpam0g" "libpam-modules" ]; pname = "linux-pam"; };
    python3 = {
      debs = [ "python3.11-minimal" "libpython3.11-minimal" "libpython3.11-stdlib" ];
      meta.identifiers = lib.cpe "python" "python" manifest."python3.11-minimal".upstream;
      meta.license.spdxId = "Python-2.0";
      postInstall = "ln -s python3.11 $out/bin/python3; ln -s python3.11 $out/bin/python";
    };
    bash = { meta.license.spdxId = "GPL-3.0-or-later"; };
    coreutils = { meta.license.spdxId = "GPL-3.0-or-later"; };
    findutils = { };
    gnugrep = { debs = [ "grep" ]; };
    gnused = { debs = [ "sed" ]; };
    gnutar = { debs = [ "tar" ]; };
    gzip = { };
    getent = { debs = [ "libc-bin" ]; };
    curl = { meta.identifiers = lib.cpe "haxx" "curl" manifest.curl.upstream; meta.license.spdxId = "curl"; };
    jq = { };
    git = { meta.identifiers = lib.cpe "git-scm" "git" manifest.git.upstream; meta.license.spdxId = "GPL-2.0-only"; };
    sudo = {
      meta.identifiers = lib.cpe "sudo_project" "sudo" manifest.sudo.upstream;
      meta.license.spdxId = "ISC";
      # Debian's sudo looks for its plugins in /usr/libexec/sudo; nixpkgs' in
      # the store. This sudo.conf gives the store paths, as nixpkgs' build does.
      postInstall = ''
        printf 'Plugin sudoers_policy %s\nPlugin sudoers_io %s\nPlugin sudoers_audit %s\n' \
          $out/libexec/sudo/sudoers.so $out/libexec/sudo/sudoers.so $out/libexec/sudo/sudoers.so > $out/etc/sudo.conf
      '';
    };
    direnv = { };
    sqlite = { debs = [ "sqlite3" ]; meta.license.spdxId = "blessing"; };
    nix = { debs = [ "nix-bin" ]; meta.identifiers = lib.cpe "nixos" "nix" manifest.nix-bin.upstream; };
    cacert = {
      debs = [ "ca-certificates" ];
      pname = "nss-cacert";
      postInstall = "mkdir -p $out/etc/ssl/certs; cat $out/share/ca-certificates/mozilla/*.crt > $out/etc/ssl/certs/ca-bundle.crt";
    };
    tzdata = { };
    # A dependency, never a requested attribute (as are xz, pcre2, openssl
    # and libssh2).
    zlib1g = {
      meta.identifiers = lib.cpe "zlib" "zlib" (nixpkgs.release manifest.zlib1g.upstream);
      meta.license.spdxId = "Zlib";
    };
    patchelf = { };
    # GnuCOBOL's compiler (cobc); its runtime library libcob is libcob4, as
    # nixpkgs has it in gnucobol's lib output.
    gnucobol = {
      debs = [ "gnucobol3" ];
      meta.identifiers = lib.cpe "gnu" "gnucobol" manifest.gnucobol3.upstream;
      meta.license.spdxId = "GPL-3.0-or-later";
      passthru.lib = final.libcob4;
    };
    libcob4 = { meta.license.spdxId = "LGPL-3.0-or-later"; };
  };

  membersOf = g: (groups.${g} or { }).debs or [ g ];
  # A package of Debian packages of architecture "all" (cacert, tzdata):
  # data, the same files for every system.
  isNoarch = g: builtins.all (d: manifest.${d}.architecture == "all") (membersOf g);
  grouped = builtins.concatLists (map membersOf (builtins.attrNames groups));
  # bootstrap-tools shares its debs with patchelf and gcc-lib; it is never a
  # dependency.
  # listToAttrs keeps the first of equal names, so groups come first.
  owner = builtins.listToAttrs (
    builtins.concatLists (map (g: map (d: { name = d; value = g; }) (membersOf g))
      (builtins.filter (g: g != "bootstrap-tools") (builtins.attrNames groups)))
    ++ map (d: { name = d; value = d; }) (builtins.attrNames manifest));
  provider = builtins.listToAttrs (builtins.concatLists (map
    (d: map (s: { name = s; value = owner.${d}; }) manifest.${d}.provides)
    (builtins.attrNames manifest)));

  depsOf = g: lib.unique (builtins.filter (x: x != g) (map
    (s: provider.${s} or (throw "universe package ${g} needs ${s}, which no package in manifest.json provides"))
    (builtins.filter (s: builtins.substring 0 9 s != "ld-linux-")
      (builtins.concatLists (map (d: manifest.${d}.needs) (membersOf g))))));

  # The universe checks itself once per evaluation, before any package
  # uses a .deb: a file of the manifest that is missing fails in one line
  # (Nix's own error names the first path it cannot read, and says nothing
  # of regen.sh). testenv checks their sha256 too, once per test binary.
  missingDebs = builtins.filter (d: !builtins.pathExists (./. + "/${platform.debs}/${manifest.${d}.file}")) (builtins.attrNames manifest);
  checked = x:
    if missingDebs == [ ] then x
    else throw "the nixlayer test universe lacks ${toString (builtins.length missingDebs)} of its ${platform.debs}/ packages (${builtins.head missingDebs} first): run testdata/universe/regen.sh";

  # Debian file names can hold "%", which store paths cannot.
  debFile = d: checked (builtins.path { path = ./. + "/${platform.debs}/${manifest.${d}.file}"; name = "${d}.deb"; });

  debPackage = g:
    let
      spec = groups.${g} or { };
      first = manifest.${builtins.head (membersOf g)};
      noarch = isNoarch g;
      patched = !noarch && (spec.patchelf or true);
      # src (or srcs), patches, and version and __structuredAttrs where they
      # differ from the default, as nixpkgs' expression has them.
      source = (nixpkgs.sources.${g} or (throw "the nixlayer test universe's sources.nix has no source for ${g}")) first.upstream (nixpkgs.release first.upstream);
      structured = source.__structuredAttrs or false;
      attrs = builtins.removeAttrs source [ "meta" ] // {
        pname = spec.pname or g;
        # nixpkgs names a package after its upstream release (1.2.13), not
        # after Debian's repack of it (1.2.13.dfsg).
        version = source.version or (nixpkgs.release first.upstream);
        inherit system;
        inherit (platform) triplet loader;
        # With structured attributes, bash reads .attrs.sh and runs deb.sh
        # (builders/attrs.sh).
        builder = if structured then "${final.bash}/bin/bash" else "${final.busybox}/bin/busybox";
        args = if structured then [ "-e" ./builders/attrs.sh ./builders/deb.sh ] else [ "sh" "-eu" ./builders/deb.sh ];
        bbdir = "${final.busybox}/bin";
        debs = map debFile (membersOf g);
        patchelf = if patched then "1" else "";
        noarch = if noarch then "1" else "";
        glibc = if patched then final.glibc else "";
        tools = if patched then final.bootstrap-tools else "";
        depLibs = if patched then map (d: "${final.${d}}/lib") (depsOf g) else [ ];
        postInstall = spec.postInstall or "";
        patches = source.patches or [ ];
        meta = { debian = { package = builtins.head (membersOf g); inherit (first) version; }; } // (spec.meta or { }) // (source.meta or { });
        passthru = spec.passthru or { };
      };
      # A package of architecture "all" is a fixed-output derivation of its
      # files: Nix gives it the same store path on every system, whatever
      # builds it, as it gives a fetcher's output. (In nixpkgs cacert and
      # tzdata are input-addressed, and differ by system.) regen.sh hashes
      # the output of `unfixed` for noarch.json.
      unfixed = lib.mkDerivation attrs;
    in
    if !noarch then unfixed
    else lib.mkDerivation (attrs // {
      outputHashMode = "recursive";
      outputHashAlgo = "sha256";
      outputHash = noarchHashes.${g} or (throw "the nixlayer test universe has no noarch.json entry for ${g}: run testdata/universe/regen.sh");
      passthru = attrs.passthru // { inherit unfixed; };
    });

  names = lib.unique (builtins.attrNames groups
    ++ builtins.filter (d: !(builtins.elem d grouped)) (builtins.attrNames manifest));
  packages = builtins.listToAttrs (map (g: { name = g; value = debPackage g; }) names);
in
packages // {
  # The packages of architecture "all" as ordinary derivations, whose
  # outputs regen.sh hashes for noarch.json.
  noarchUnfixed = builtins.listToAttrs (map (g: { name = g; value = packages.${g}.unfixed; }) (builtins.filter isNoarch names));
}
