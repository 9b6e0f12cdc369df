# Where nixpkgs takes each Debian package's program from: for every
# package (or group) of debian.nix, the src (or srcs), patches and, where
# nixpkgs has it so, version scheme and __structuredAttrs of the nixpkgs
# expression that builds it, at the version Debian ships (the manifest's
# upstream version). The fetchers are the universe's stand-ins of nixpkgs'
# (fetchers.nix), so each src reads in `nix derivation show` as nixpkgs'
# would. The nixpkgs file beside each entry is where the URL template comes
# from (file@version: the stored version of the file that issue 20's
# research read; "fork" is the Swarsel/nixpkgs snapshot at 4aa6836a, for
# files whose upstream version was stale).
#
# (*): a template from nixpkgs' file as known, not read again for the
# universe.
#
# Each entry is a function of the upstream version (v) and of the release
# version (r: v without Debian's repack suffix, such as 1.2.13 for
# 1.2.13.dfsg), and gives attributes for mkDerivation.
{ final, lib, manifest }:
let
  inherit (final) fetchurl fetchFromGitHub fetchFromGitLab fetchgit srcOnly;
  inherit (builtins) replaceStrings concatStringsSep genList length elemAt match;
  url = u: fetchurl { url = u; };
  urls = us: fetchurl { urls = us; };
  # lib.versions.majorMinor.
  majorMinor = v: let m = match "([0-9]+)\\.([0-9]+).*" v; in "${elemAt m 0}.${elemAt m 1}";
  underscores = replaceStrings [ "." ] [ "_" ];
  pad = n: s: if builtins.stringLength s < n then pad n ("0" + s) else s;
  # sqlite's archive version: 3.40.1 is 3400100.
  sqliteArchive = v: let m = match "([0-9]+)\\.([0-9]+)\\.([0-9]+)" v; in "${elemAt m 0}${pad 2 (elemAt m 1)}${pad 2 (elemAt m 2)}00";
  # pkgs/by-name/kr/krb5/package.nix (fork): kerberos.org's major.minor directory.
  krb5 = r: url "https://kerberos.org/dist/krb5/${majorMinor r}/krb5-${r}.tar.gz";
  # pkgs/development/libraries/ncurses/default.nix (fork): two URLs.
  ncurses = r: urls [ "https://invisible-island.net/archives/ncurses/ncurses-${r}.tar.gz" "https://invisible-mirror.net/archives/ncurses/ncurses-${r}.tar.gz" ];
  # Sources that several Debian packages share (the nixpkgs file is at
  # the entry that first uses each).
  glibc = r: url "mirror://gnu/glibc/glibc-${r}.tar.xz";
  curl = r: urls [ "https://curl.haxx.se/download/curl-${r}.tar.xz" "https://github.com/curl/curl/releases/download/curl-${underscores r}/curl-${r}.tar.xz" ];
  jq = r: url "https://github.com/jqlang/jq/releases/download/jq-${r}/jq-${r}.tar.gz";
  sqlite = r: url "https://sqlite.org/2022/sqlite-src-${sqliteArchive r}.zip";
  gnucobol = r: url "mirror://gnu/gnucobol/gnucobol-${r}.tar.xz";
  nettle = r: url "mirror://gnu/nettle/nettle-${r}.tar.gz";
in
{
  # Debian's repack suffixes (+dfsg, .dfsg, +ds1, +repack1), which no
  # upstream release name has.
  release = v: let m = match "(.*)[.+~](dfsg|ds|repack)[0-9]*" v; in if m == null then v else builtins.head m;

  sources = {
    # pkgs/development/libraries/glibc/common.nix (mirror://gnu).
    glibc = v: r: { src = glibc r; };
    getent = v: r: { src = glibc r; };
    # pkgs/development/compilers/gcc/default.nix (mirror://gcc releases).
    gcc-lib = v: r: { src = url "mirror://gcc/releases/gcc-${r}/gcc-${r}.tar.xz"; };
    # bootstrap-tools, like nixpkgs' bootstrap tools, has no src.
    bootstrap-tools = v: r: { };
    # pkgs/by-name/li/linux-pam (fork 1.7.2): fetchFromGitHub, tag.
    pam = v: r: { src = fetchFromGitHub { owner = "linux-pam"; repo = "linux-pam"; tag = "v${r}"; }; };
    # pkgs/development/interpreters/python/cpython/default.nix.
    python3 = v: r: { src = url "https://www.python.org/ftp/python/${r}/Python-${r}.tar.xz"; };
    # pkgs/shells/bash/5.nix@01363563: the release tarball and upstream's
    # patch series, one fetchurl per patch (bash-5.2-patches.nix), and the
    # version 5.2pN for N patches. Debian's 5.2.15 is 5.2 with 15 patches.
    bash = v: r:
      let
        m = match "([0-9]+)\\.([0-9]+)\\.([0-9]+)" r;
        base = "${elemAt m 0}.${elemAt m 1}";
        n = builtins.fromJSON (elemAt m 2);
        nr = i: pad 3 (toString i);
        upstreamPatches = genList (i: url "mirror://gnu/bash/bash-${base}-patches/bash${elemAt m 0}${elemAt m 1}-${nr (i + 1)}") n;
        version = "${base}p${toString n}";
      in
      {
        inherit version;
        src = url "mirror://gnu/bash/bash-${base}.tar.gz";
        patches = upstreamPatches;
        # 5.nix: meta.identifiers.cpeParts from the version split at "p".
        meta.identifiers = lib.identifiers { cpeParts = { vendor = "gnu"; product = "bash"; version = base; update = toString n; }; };
      };
    # pkgs/tools/misc/coreutils/default.nix, findutils, gnused, gnutar,
    # gzip: mirror://gnu.
    coreutils = v: r: { src = url "mirror://gnu/coreutils/coreutils-${r}.tar.xz"; };
    findutils = v: r: { src = url "mirror://gnu/findutils/findutils-${r}.tar.xz"; };
    # pkgs/by-name/gn/gnugrep/package.nix@0437febe: structured.
    gnugrep = v: r: { __structuredAttrs = true; src = url "mirror://gnu/grep/grep-${r}.tar.xz"; };
    gnused = v: r: { src = url "mirror://gnu/sed/sed-${r}.tar.xz"; };
    gnutar = v: r: { src = url "mirror://gnu/tar/tar-${r}.tar.xz"; };
    gzip = v: r: { src = url "mirror://gnu/gzip/gzip-${r}.tar.xz"; };
    # pkgs/by-name/cu/curlMinimal/package.nix@06028a8a: the project's site
    # and the GitHub release asset of tag curl-X_Y_Z.
    curl = v: r: { src = curl r; };
    libcurl4 = v: r: { src = curl r; };
    libcurl3-gnutls = v: r: { src = curl r; };
    # pkgs/by-name/jq/jq/package.nix@072bd877: release asset, and a github
    # purl in meta.identifiers.
    jq = v: r: {
      src = jq r;
      meta.identifiers = lib.identifiers { purlParts = { type = "github"; spec = "jqlang/jq@jq-${r}"; }; };
    };
    libjq1 = v: r: { src = jq r; };
    # pkgs/by-name/gi/git/package.nix@0368f123: kernel.org, structured.
    git = v: r: { __structuredAttrs = true; src = url "https://www.kernel.org/pub/software/scm/git/git-${r}.tar.xz"; };
    # pkgs/by-name/su/sudo/package.nix@19811afc: sudo.ws, structured.
    sudo = v: r: { __structuredAttrs = true; src = url "https://www.sudo.ws/dist/sudo-${r}.tar.gz"; };
    # pkgs/by-name/di/direnv/package.nix@0148e16d: a tag name as rev.
    direnv = v: r: { src = fetchFromGitHub { owner = "direnv"; repo = "direnv"; rev = "v${r}"; }; };
    # pkgs/development/libraries/sqlite/default.nix (fork): sqlite.org's
    # year directory and the numeric archive version (3.40.1 is 3400100).
    sqlite = v: r: { src = sqlite r; };
    libsqlite3-0 = v: r: { src = sqlite r; };
    # pkgs/tools/package-management/nix: fetchFromGitHub NixOS/nix at tag
    # version; Nix's modular packaging (modular/packaging/components.nix,
    # overrideSource) builds each component from patchedSrc, a srcOnly of
    # the fetch with the patches, and the components' version gets +N for
    # N patches; sourceRoot is the component's directory in it.
    nix = v: r:
      let
        fetched = fetchFromGitHub { owner = "NixOS"; repo = "nix"; tag = r; };
        patches = [ ./patches/nix-CVE-2024-27297.patch ];
        patchedSrc = srcOnly { name = "${fetched.name}-patched"; src = fetched; inherit patches; };
      in
      { version = "${r}+${toString (length patches)}"; src = patchedSrc; sourceRoot = "${patchedSrc.name}/src/nix"; };
    # pkgs/by-name/ca/cacert/package.nix@04e8a174: the bundle's src is an
    # intermediate derivation, nss-cacert-certdata, that copies
    # lib/ckfw/builtins/certdata.txt out of NSS, fetched with
    # fetchFromGitHub { owner = "nss-dev"; repo = "nss";
    # rev = "NSS_${underscores version}_RTM"; }, a tag given as rev; its
    # version is NSS's. Debian's bundle (20250419) names no NSS release: the
    # universe keeps Debian's version, and takes NSS 3.110, a release of
    # that spring, as the one the certificates come from. srcOnly stands
    # in for nss-cacert-certdata: a derivation between the package and the
    # fetch, whose src is the fetch.
    cacert = v: r:
      let nss = "3.110"; in
      {
        src = srcOnly {
          name = "nss-cacert-certdata-${nss}";
          src = fetchFromGitHub { owner = "nss-dev"; repo = "nss"; rev = "NSS_${underscores nss}_RTM"; };
        };
      };
    # pkgs/by-name/tz/tzdata/package.nix: two fetchurls in srcs, no src.
    tzdata = v: r: {
      srcs = [
        (url "https://data.iana.org/time-zones/releases/tzdata${r}.tar.gz")
        (url "https://data.iana.org/time-zones/releases/tzcode${r}.tar.gz")
      ];
    };
    # pkgs/development/libraries/zlib/default.nix (fork): the GitHub release
    # asset of tag v${version} and zlib.net's fossils.
    zlib1g = v: r: { src = urls [ "https://github.com/madler/zlib/releases/download/v${r}/zlib-${r}.tar.gz" "https://www.zlib.net/fossils/zlib-${r}.tar.gz" ]; };
    # pkgs/development/tools/misc/patchelf/default.nix: release asset (*).
    patchelf = v: r: { src = url "https://github.com/NixOS/patchelf/releases/download/${r}/patchelf-${r}.tar.bz2"; };
    # pkgs/by-name/gn/gnucobol/package.nix (fork).
    gnucobol = v: r: { src = gnucobol r; };
    libcob4 = v: r: { src = gnucobol r; };

    # The libraries, dependencies only.
    # pkgs/development/libraries/acl, attr: mirror://savannah.
    libacl1 = v: r: { src = url "mirror://savannah/acl/acl-${r}.tar.gz"; };
    libattr1 = v: r: { src = url "mirror://savannah/attr/attr-${r}.tar.gz"; };
    # pkgs/by-name/au/audit/package.nix (fork): fetchFromGitHub, tag.
    libaudit1 = v: r: { src = fetchFromGitHub { owner = "linux-audit"; repo = "audit-userspace"; tag = "v${r}"; }; };
    # pkgs/development/libraries/boost/generic.nix: SourceForge and jfrog.
    "libboost-context1.74.0" = v: r: { src = urls [ "mirror://sourceforge/boost/boost_${underscores r}.tar.bz2" "https://boostorg.jfrog.io/artifactory/main/release/${r}/source/boost_${underscores r}.tar.bz2" ]; };
    # pkgs/tools/compression/bzip2/default.nix: sourceware.
    "libbz2-1.0" = v: r: { src = url "https://sourceware.org/pub/bzip2/bzip2-${r}.tar.gz"; };
    # pkgs/development/libraries/db/generic.nix: Oracle's site (*).
    "libdb5.3" = v: r: { src = url "https://download.oracle.com/berkeley-db/db-${r}.tar.gz"; };
    # pkgs/by-name/e2/e2fsprogs/package.nix (fork): mirror://kernel.
    libcom-err2 = v: r: { src = url "mirror://kernel/linux/kernel/people/tytso/e2fsprogs/v${r}/e2fsprogs-${r}.tar.xz"; };
    # pkgs/development/libraries/gmp/6.x.nix: two URLs.
    libgmp10 = v: r: { src = urls [ "mirror://gnu/gmp/gmp-${r}.tar.bz2" "ftp://ftp.gmplib.org/pub/gmp-${r}/gmp-${r}.tar.bz2" ]; };
    # pkgs/development/libraries/gnutls/default.nix: mirror://gnupg.
    libgnutls30 = v: r: { src = url "mirror://gnupg/gnutls/v${majorMinor r}/gnutls-${r}.tar.xz"; };
    # pkgs/development/libraries/icu/make-icu.nix: the release asset of tag
    # release-72-1 (the older naming).
    libicu72 = v: r: { src = url "https://github.com/unicode-org/icu/releases/download/release-${replaceStrings [ "." ] [ "-" ] r}/icu4c-${underscores r}-src.tgz"; };
    # pkgs/by-name/ke/keyutils/package.nix (fork): a cgit snapshot.
    libkeyutils1 = v: r: { src = url "https://git.kernel.org/pub/scm/linux/kernel/git/dhowells/keyutils.git/snapshot/keyutils-${r}.tar.gz"; };
    # krb5 (see above).
    libgssapi-krb5-2 = v: r: { src = krb5 r; };
    libk5crypto3 = v: r: { src = krb5 r; };
    libkrb5-3 = v: r: { src = krb5 r; };
    libkrb5support0 = v: r: { src = krb5 r; };
    # pkgs/by-name/li/libbsd/package.nix (*).
    libbsd0 = v: r: { src = url "https://libbsd.freedesktop.org/releases/libbsd-${r}.tar.xz"; };
    # pkgs/os-specific/linux/libcap-ng/default.nix (*).
    libcap-ng0 = v: r: { src = url "https://people.redhat.com/sgrubb/libcap-ng/libcap-ng-${r}.tar.gz"; };
    # pkgs/by-name/li/libcpuid/package.nix: a tag name as rev (*).
    libcpuid16 = v: r: { src = fetchFromGitHub { owner = "anrieff"; repo = "libcpuid"; rev = "v${r}"; }; };
    # pkgs/development/libraries/libffi: release asset.
    libffi8 = v: r: { src = url "https://github.com/libffi/libffi/releases/download/v${r}/libffi-${r}.tar.gz"; };
    # pkgs/development/libraries/boehm-gc: the release asset and hboehm.info.
    libgc1 = v: r: { src = urls [ "https://github.com/ivmai/bdwgc/releases/download/v${r}/gc-${r}.tar.gz" "https://www.hboehm.info/gc/gc_source/gc-${r}.tar.gz" ]; };
    # pkgs/development/libraries/libidn2/default.nix (fork): ftp.gnu.org.
    libidn2-0 = v: r: { src = url "https://ftp.gnu.org/gnu/libidn/libidn2-${r}.tar.gz"; };
    # pkgs/by-name/li/libmd/package.nix@6945446c: two URLs.
    libmd0 = v: r: { src = urls [ "https://archive.hadrons.org/software/libmd/libmd-${r}.tar.xz" "https://libbsd.freedesktop.org/releases/libmd-${r}.tar.xz" ]; };
    # pkgs/by-name/li/libnsl/package.nix@2b803b2b: a tag name as rev.
    libnsl2 = v: r: { src = fetchFromGitHub { owner = "thkukuk"; repo = "libnsl"; rev = "v${r}"; }; };
    # pkgs/by-name/on/oniguruma/package.nix (fork): release asset.
    libonig5 = v: r: { src = url "https://github.com/kkos/oniguruma/releases/download/v${r}/onig-${r}.tar.gz"; };
    # pkgs/by-name/li/libpsl/package.nix (fork): release asset of tag ${version}.
    libpsl5 = v: r: { src = url "https://github.com/rockdaboot/libpsl/releases/download/${r}/libpsl-${r}.tar.lz"; };
    # pkgs/by-name/li/libseccomp: release asset.
    libseccomp2 = v: r: { src = url "https://github.com/seccomp/libseccomp/releases/download/v${r}/libseccomp-${r}.tar.gz"; };
    # pkgs/by-name/li/libselinux/package.nix: the SELinux project's release asset.
    libselinux1 = v: r: { src = url "https://github.com/SELinuxProject/selinux/releases/download/${r}/libselinux-${r}.tar.gz"; };
    # pkgs/development/libraries/libsodium: download.libsodium.org.
    libsodium23 = v: r: { src = url "https://download.libsodium.org/libsodium/releases/libsodium-${r}.tar.gz"; };
    # pkgs/development/libraries/libtasn1: mirror://gnu (*).
    libtasn1-6 = v: r: { src = url "mirror://gnu/libtasn1/libtasn1-${r}.tar.gz"; };
    # pkgs/by-name/li/libtirpc/package.nix@7572c1a9: a gitweb snapshot of
    # tag libtirpc-X-Y-Z, with a name.
    libtirpc3 = v: r: {
      src = fetchurl {
        url = "http://git.linux-nfs.org/?p=steved/libtirpc.git;a=snapshot;h=refs/tags/libtirpc-${replaceStrings [ "." ] [ "-" ] r};sf=tgz";
        name = "libtirpc-${r}.tar.gz";
      };
    };
    # pkgs/development/libraries/libunistring (fork): mirror://gnu.
    libunistring2 = v: r: { src = url "mirror://gnu/libunistring/libunistring-${r}.tar.gz"; };
    # libxcrypt: release asset.
    libcrypt1 = v: r: { src = url "https://github.com/besser82/libxcrypt/releases/download/v${r}/libxcrypt-${r}.tar.xz"; };
    # pkgs/development/libraries/libxml2/common.nix (fork): fetchFromGitLab
    # on gitlab.gnome.org, tag.
    libxml2 = v: r: { src = fetchFromGitLab { domain = "gitlab.gnome.org"; owner = "GNOME"; repo = "libxml2"; tag = "v${r}"; }; };
    # pkgs/by-name/lz/lz4/package.nix: a tag name as rev (*).
    liblz4-1 = v: r: { src = fetchFromGitHub { owner = "lz4"; repo = "lz4"; rev = "v${r}"; }; };
    # ncurses (see above).
    libncursesw6 = v: r: { src = ncurses r; };
    libtinfo6 = v: r: { src = ncurses r; };
    # pkgs/development/libraries/nettle: mirror://gnu (*).
    libhogweed6 = v: r: { src = nettle r; };
    libnettle8 = v: r: { src = nettle r; };
    # pkgs/by-name/ng/nghttp2/package.nix (fork): release asset.
    libnghttp2-14 = v: r: { src = url "https://github.com/nghttp2/nghttp2/releases/download/v${r}/nghttp2-${r}.tar.bz2"; };
    # pkgs/development/libraries/openldap: openldap.org.
    "libldap-2.5-0" = v: r: { src = url "https://www.openldap.org/software/download/OpenLDAP/openldap-release/openldap-${r}.tgz"; };
    # pkgs/by-name/p1/p11-kit/package.nix@1c880b4b: fetchFromGitHub with a
    # tag name as rev and fetchSubmodules, so a (structured) fetchgit.
    libp11-kit0 = v: r: { src = fetchFromGitHub { owner = "p11-glue"; repo = "p11-kit"; rev = r; fetchSubmodules = true; }; };
    # pkgs/development/libraries/readline (fork): mirror://gnu.
    libreadline8 = v: r: { src = url "mirror://gnu/readline/readline-${r}.tar.gz"; };
    # pkgs/by-name/rt/rtmpdump/package.nix: fetchgit of a commit (releases
    # are not tagged); Debian's 2.4+20151223.gitfa8646d is that commit.
    librtmp1 = v: r: { src = fetchgit { url = "git://git.ffmpeg.org/rtmpdump"; rev = "fa8646daeb19dfd12c181f7d19de708d623704c0"; }; };
    # pkgs/by-name/ut/util-linux/package.nix (fork): mirror://kernel.
    libuuid1 = v: r: { src = url "mirror://kernel/linux/utils/util-linux/v${majorMinor r}/util-linux-${r}.tar.xz"; };
    # pkgs/by-name/br/brotli/package.nix (fork): fetchFromGitHub, tag.
    libbrotli1 = v: r: { src = fetchFromGitHub { owner = "google"; repo = "brotli"; tag = "v${r}"; }; };
    # pkgs/development/libraries/cyrus-sasl: release asset (*).
    libsasl2-2 = v: r: { src = url "https://github.com/cyrusimap/cyrus-sasl/releases/download/cyrus-sasl-${r}/cyrus-sasl-${r}.tar.gz"; };
    # pkgs/by-name/ex/expat/package.nix (fork): release asset of tag R_X_Y_Z.
    libexpat1 = v: r: { src = url "https://github.com/libexpat/libexpat/releases/download/R_${underscores r}/expat-${r}.tar.xz"; };
    # pkgs/by-name/li/libarchive/package.nix: a tag name as rev (*).
    libarchive13 = v: r: { src = fetchFromGitHub { owner = "libarchive"; repo = "libarchive"; rev = "v${r}"; }; };
    # pkgs/by-name/li/libssh2/package.nix@0a7001f1: a snapshot of a commit
    # after the release, fetchurl of GitHub's commit archive named after the
    # version, which is <release>-unstable-<commit date>. The commit is
    # libssh2's 7daee037 of 2021-09-02, after libssh2-1.10.0.
    libssh2-1 = v: r:
      let version = "${r}-unstable-2021-09-02"; in
      {
        inherit version;
        src = fetchurl { url = "https://github.com/libssh2/libssh2/archive/7daee037d110bbdb003ea75ca68d357ffa9d8fa8.tar.gz"; name = version; };
      };
    # pkgs/tools/compression/zstd/default.nix (fork): a tag name as rev.
    libzstd1 = v: r: { src = fetchFromGitHub { owner = "facebook"; repo = "zstd"; rev = "v${r}"; }; };
    # pkgs/development/libraries/openssl/generic.nix@ac011f73: the release
    # asset of tag openssl-X.Y.Z.
    libssl3 = v: r: { src = url "https://github.com/openssl/openssl/releases/download/openssl-${r}/openssl-${r}.tar.gz"; };
    # pkgs/by-name/pc/pcre2/package.nix@0368f123: release asset, structured.
    libpcre2-8-0 = v: r: { __structuredAttrs = true; src = url "https://github.com/PCRE2Project/pcre2/releases/download/pcre2-${r}/pcre2-${r}.tar.bz2"; };
    # pkgs/by-name/xz/xz/package.nix@1b3d932e: release asset, structured,
    # and a nix purl in meta.identifiers.
    liblzma5 = v: r: {
      __structuredAttrs = true;
      src = url "https://github.com/tukaani-project/xz/releases/download/v${r}/xz-${r}.tar.xz";
      meta.identifiers = lib.identifiers { cpeParts = { vendor = "tukaani"; product = "xz"; version = r; update = "*"; }; purlParts = { type = "nix"; spec = "nixpkgs/xz@${r}"; }; };
    };
  };
}
