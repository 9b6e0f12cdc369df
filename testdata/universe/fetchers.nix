# nixpkgs' fetchers, offline, with the derivation shapes that nixpkgs gives
# them: the same attributes in the environment (or in __json, for
# fetchgit's structured attributes), the same `name`, the same passthru at
# evaluation time, so that `nix derivation show` of a universe source reads
# as it would in nixpkgs. Each fetcher cites the nixpkgs file, at the
# version the issue-20 research read (file@first 8 hex digits of the
# stored file version), whose shape it copies.
#
# What differs, and why:
# - Nothing reaches the network. A source is a fixed-output derivation
#   whose content is a short text naming what nixpkgs would fetch, and
#   whose hash the universe computes from that text
#   (builtins.hashString). A hash the caller gives is ignored, so call
#   sites pass none.
# - Every source is a flat file: nixpkgs' fetchzip, fetchFromGitHub,
#   fetchFromGitLab and fetchgit outputs are unpacked directories with
#   outputHashMode = "recursive", whose NAR hash Nix cannot compute at
#   evaluation time. The environment still says recursiveHash = 1 where
#   nixpkgs does; only outputHashMode (and the content) differ.
# - The builders are the universe's busybox (bash with .attrs.sh for
#   fetchgit), not stdenv's bash with curl or git; nativeBuildInputs is
#   empty.
{ final, lib, system, bb }:
let
  inherit (builtins) head length elemAt match substring stringLength genList replaceStrings concatStringsSep;

  # The few nixpkgs lib functions the fetchers use.
  removeSuffix = suffix: s:
    let n = stringLength s; k = stringLength suffix; in
    if k <= n && substring (n - k) k s == suffix then substring 0 (n - k) s else s;
  defaultTo = default: x: if x == null then default else x;
  assertMsg = ok: msg: ok || throw msg;

  # lib.trivial.release of the nixpkgs the universe stands in for (the
  # flake's branch, nixos-26.05): fetchurl writes it into nixpkgsVersion.
  release = "26.05";

  # The first mirror of each site of mirror:// URLs, for passthru.resolvedUrl
  # (pkgs/build-support/fetchurl/mirrors.nix@00976b19, an old stored
  # version; the sites are those the universe's sources use).
  mirrors = {
    apache = "http://www.eu.apache.org/dist/";
    debian = "http://httpredir.debian.org/debian/";
    gcc = "ftp://ftp.nluug.nl/mirror/languages/gcc/";
    gnu = "http://ftpmirror.gnu.org/";
    gnupg = "https://gnupg.org/ftp/gcrypt/";
    hackage = "http://hackage.haskell.org/package/";
    kernel = "http://cdn.kernel.org/pub/";
    savannah = "http://mirror.easyname.at/nongnu/";
    sourceforge = "http://downloads.sourceforge.net/";
  };
  # fetchurl's mirrorsFile: nixpkgs writes the mirror list to a file that
  # builder.sh reads, so that .drv files stay small (fetchurl@005b8027
  # l.19-32); here a plain file.
  mirrorsFile = builtins.toFile "mirrors-list" (concatStringsSep "" (map (s: "${s} ${mirrors.${s}}\n") (builtins.attrNames mirrors)));
  # fetchurl@005b8027 l.38-52: the proxy variables (lib.fetchers.proxyImpureEnvVars),
  # curl's, and one NIX_MIRRORS_<site> per site.
  proxyImpureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" "HTTP_PROXY" "HTTPS_PROXY" "FTP_PROXY" "ALL_PROXY" "NO_PROXY" ];
  fetchurlImpureEnvVars = proxyImpureEnvVars ++ [ "NIX_CURL_FLAGS" "NIX_HASHED_MIRRORS" "NIX_CONNECT_TIMEOUT" ]
    ++ map (s: "NIX_MIRRORS_${s}") (builtins.attrNames mirrors);

  # sha256 of a text as an SRI hash ("sha256-" and base64), as nixpkgs'
  # `hash` arguments are written: builtins.hashString gives base16, and
  # Nix 2.8 has no builtins.convertHash.
  hexDigits = builtins.listToAttrs (genList (i: { name = substring i 1 "0123456789abcdef"; value = i; }) 16);
  sri = text:
    let
      hex = builtins.hashString "sha256" text;
      digit = c: hexDigits.${c};
      bytes = genList (i: 16 * digit (substring (2 * i) 1 hex) + digit (substring (2 * i + 1) 1 hex)) (stringLength hex / 2);
      alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      char = n: substring n 1 alphabet;
      byte = i: if i < length bytes then elemAt bytes i else 0;
      group = g:
        let
          n = byte (3 * g) * 65536 + byte (3 * g + 1) * 256 + byte (3 * g + 2);
          left = length bytes - 3 * g;
        in
        char (n / 262144) + char (n / 4096 - n / 262144 * 64)
        + (if left > 1 then char (n / 64 - n / 4096 * 64) else "=")
        + (if left > 2 then char (n - n / 64 * 64) else "=");
    in
    "sha256-" + concatStringsSep "" (genList group ((length bytes + 2) / 3));

  # The content of a stand-in source, and the fixed-output attributes
  # that go with it.
  standInText = what: "nixlayer test universe: a stand-in for ${what}\n";

  # fetchgit.getRevWithTag (fetchgit@06fa39b2 l.24-37): a tag becomes
  # refs/tags/TAG; a tag and a rev together are refused.
  getRevWithTag = { rev ? null, tag ? null }:
    if tag != null && rev != null then throw "fetchgit requires one of either `rev` or `tag` to be provided (not both)."
    else if tag != null then "refs/tags/${tag}"
    else if rev != null then rev
    else "HEAD";

  # lib.sources.urlToName and fetchgit's default name (fetchgit@06fa39b2
  # l.11-22): the repository's base name, and the short rev when the rev
  # is a commit.
  urlToName = url: rev:
    let
      base = baseNameOf (removeSuffix "/" url);
      stripped = removeSuffix ".git" base;
    in
    stripped + (if match "[a-f0-9]*" rev != null then "-${substring 0 7 rev}" else "");

  # The attributes fetchFromGitHub and fetchFromGitLab do not pass on
  # (fetchgithub@3dc4f60b l.57-67, fetchgitlab@01e6c140 l.47-61).
  without = names: attrs: builtins.removeAttrs attrs names;

  # fetchurl: pkgs/build-support/fetchurl/default.nix@005b8027.
  # `url` is passed only through passthru (excludeDrvArgNames, l.59-70);
  # the environment has `urls` (l.255), space-separated, with mirror://
  # URLs left for builder.sh to resolve; `name` is pname-version, or the
  # given name, or the base name of the first URL (l.241-249); the hash is
  # `hash` and `outputHash` (SRI, so no outputHashAlgo; l.266-282);
  # outputHashMode is flat unless recursiveHash or executable (l.300);
  # passthru has url ("" when urls was given) and resolvedUrl (l.223-236,
  # l.350-353). Arguments fetchurl does not know land in the environment
  # too, under derivationArgs and fetchurl's own (l.239-240).
  fetchurl =
    { url ? "", urls ? [ ], curlOpts ? "", curlOptsList ? [ ], name ? null, pname ? null, version ? null
    , recursiveHash ? false, netrcPhase ? null, netrcImpureEnvVars ? [ ], postFetch ? "", downloadToTemp ? false
    , executable ? false, showURLs ? false, meta ? { }, passthru ? { }, preferLocalBuild ? true
    , nativeBuildInputs ? [ ], derivationArgs ? { }, ...
    }@args:
    let
      given =
        if urls != [ ] && url == "" then urls
        else if urls == [ ] && url != "" then [ url ]
        else throw "fetchurl requires either `url` or `urls` to be set";
      drvName =
        if pname != null && version != null then "${pname}-${version}"
        else if showURLs then "urls"
        else if name != null then name
        else baseNameOf (head given);
      mirrorSplit = match "mirror://([[:alpha:]]+)/(.+)" url;
      resolvedUrl =
        if mirrorSplit == null then url
        else (mirrors.${head mirrorSplit} or (throw "unknown mirror:// site ${head mirrorSplit}")) + elemAt mirrorSplit 1;
      text = standInText "the file nixpkgs' fetchurl downloads from ${concatStringsSep " " given}";
      hash = sri text;
      # Caller arguments reach the environment, except those fetchurl
      # removes and those it sets itself.
      forwarded = without [ "url" "derivationArgs" "sha1" "sha256" "sha512" "hash" "outputHash" "outputHashAlgo" "meta" "passthru" ] args;
      drv = derivation (forwarded // derivationArgs // {
        name = drvName;
        inherit system;
        __ignoreNulls = true;
        outputs = [ "out" ];
        builder = "${bb}/busybox";
        args = [ "sh" "-euc" ''printf '%s' "$1" > "$out"'' "fetchurl" text ];
        inherit nativeBuildInputs;
        urls = given;
        preferHashedMirrors = false;
        inherit hash;
        outputHash = hash;
        SSL_CERT_FILE = "/no-cert-file.crt";
        # nixpkgs: recursive when recursiveHash or executable; flat here
        # always (see the top of this file).
        outputHashMode = "flat";
        inherit curlOpts;
        curlOptsList = concatStringsSep " " (map (a: "'${replaceStrings [ "'" ] [ "'\\''" ] a}'") curlOptsList);
        inherit downloadToTemp executable mirrorsFile netrcImpureEnvVars netrcPhase postFetch recursiveHash showURLs;
        impureEnvVars = fetchurlImpureEnvVars ++ netrcImpureEnvVars;
        nixpkgsVersion = release;
        inherit preferLocalBuild;
        postHook = null;
      });
    in
    drv // { inherit url resolvedUrl; } // passthru // { inherit meta; };

  # fetchzip: pkgs/build-support/fetchzip/default.nix@04386049. A fetchurl
  # (constructDrv = fetchurl, l.25) with recursiveHash and downloadToTemp
  # (l.71-73), a postFetch that unpacks (l.85-123), extension and stripRoot
  # in the environment through derivationArgs (l.127-131), and the name
  # "source" by default (l.40, repoRevToNameMaybe with nixpkgs' default
  # config.fetchedSourceNameDefault).
  fetchzip =
    { url ? "", urls ? [ ], name ? "source", postFetch ? "", extraPostFetch ? "", stripRoot ? true
    , extension ? null, derivationArgs ? { }, ...
    }@args:
    fetchurl (without [ "extraPostFetch" "extension" "stripRoot" ] args // {
      inherit name;
      recursiveHash = true;
      downloadToTemp = true;
      # What nixpkgs' postFetch does, in a sentence: the stand-in's builder
      # does not unpack.
      postFetch = "# fetchzip: unpack $downloadedFile into $out${if stripRoot then ", one directory level up" else ""}\n" + postFetch + extraPostFetch;
      derivationArgs = derivationArgs // { inherit extension stripRoot; };
    });

  # fetchgit: pkgs/build-support/fetchgit/default.nix@06fa39b2, the 26.05
  # shape: __structuredAttrs = true (l.139), so the .drv environment is
  # __json and out only; inside __json the git url (l.169), rev (refs/tags/T
  # for a tag, l.190), tag (l.188), revCustom (the caller's rev, l.189),
  # fetchSubmodules (true by default, l.73), leaveDotGit (l.181-187),
  # deepClone, postFetch and the rest; outputHashMode recursive (l.154,
  # flat here); passthru.gitRepoUrl (l.239-242); a tag with a rev throws
  # (getRevWithTag). The builder sources .attrs.sh, as fetchgit's builder.sh
  # does, with the universe's bash.
  fetchgit = {
    inherit getRevWithTag;
    __functor = _:
      { url, tag ? null, rev ? null, name ? urlToName url (if rev != null then rev else if tag != null then tag else "HEAD")
      , leaveDotGit ? null, fetchSubmodules ? true, deepClone ? false, branchName ? null, sparseCheckout ? null
      , nonConeMode ? null, nativeBuildInputs ? [ ], preFetch ? "", postCheckout ? "", postFetch ? "", preferLocalBuild ? true
      , fetchLFS ? false, netrcPhase ? null, netrcImpureEnvVars ? [ ], passthru ? { }, meta ? { }, allowedRequisites ? null
      , fetchTags ? [ ], rootDir ? "", gitConfigFile ? null, derivationArgs ? { }, ...
      }@args:
      let
        revWithTag = getRevWithTag { inherit rev tag; };
        checkout = defaultTo (if rootDir != "" then [ rootDir ] else [ ]) sparseCheckout;
        text = standInText "the git checkout nixpkgs' fetchgit makes of ${url} at ${revWithTag}";
        hash = sri text;
        forwarded = without [ "derivationArgs" "hash" "sha256" "meta" "passthru" ] args;
        drv = derivation (forwarded // derivationArgs // {
          __structuredAttrs = true;
          __ignoreNulls = true;
          inherit name system;
          outputs = [ "out" ];
          builder = "${final.bash}/bin/bash";
          args = [ "-euc" ''source "$NIX_BUILD_TOP/.attrs.sh"; printf '%s' "$1" > "''${outputs[out]}"'' "fetchgit" text ];
          fetcher = "nix-prefetch-git";
          inherit nativeBuildInputs;
          outputHash = hash;
          outputHashAlgo = null;
          # nixpkgs: recursive (see the top of this file).
          outputHashMode = "flat";
          sparseCheckout = checkout;
          sparseCheckoutText = concatStringsSep "\n" checkout;
          inherit url fetchLFS fetchSubmodules deepClone branchName preFetch postCheckout postFetch rootDir gitConfigFile;
          fetchTags = if fetchTags == false then [ ] else fetchTags;
          leaveDotGit = if leaveDotGit != null then leaveDotGit else deepClone || fetchTags == true;
          nonConeMode = defaultTo (rootDir != "") nonConeMode;
          inherit tag;
          revCustom = rev;
          rev = revWithTag;
          postHook = null;
          impureEnvVars = proxyImpureEnvVars ++ netrcImpureEnvVars ++ [ "GIT_PROXY_COMMAND" "NIX_GIT_SSL_CAINFO" "SOCKS_SERVER" "FETCHGIT_HTTP_PROXIES" ];
          outputChecks.out = if allowedRequisites != null then { inherit allowedRequisites; } else { };
          inherit preferLocalBuild;
          env.NIX_PREFETCH_GIT_CHECKOUT_HOOK = postCheckout;
        });
      in
      drv // { gitRepoUrl = url; } // passthru // { inherit meta; };
  };

  # fetchFromGitHub: pkgs/build-support/fetchgithub/default.nix@3dc4f60b,
  # the 26.05 shape. Exactly one of tag and rev (l.31-35). Without
  # submodules and the like (l.69-76) a fetchzip of
  # https://github.com/O/R/archive/<rev>.tar.gz, where rev is refs/tags/T
  # for a tag (l.141, l.159); the environment has githubBase, owner, repo,
  # tag, rev and revCustom (derivationArgs, l.161-173; the null one is
  # absent) and extension tar.gz (l.160); passthru.gitRepoUrl (l.174-177).
  # With fetchSubmodules (or leaveDotGit, deepClone, ...) a structured
  # fetchgit of https://github.com/O/R.git (l.118-137). The name is
  # "source" (l.183-185).
  fetchFromGitHub =
    { owner, repo, tag ? null, rev ? null, fetchSubmodules ? false, leaveDotGit ? null, deepClone ? false
    , private ? false, forceFetchGit ? false, fetchLFS ? false, rootDir ? "", sparseCheckout ? (if rootDir != "" then [ rootDir ] else [ ])
    , githubBase ? "github.com", varPrefix ? null, passthru ? { }, meta ? { }, ...
    }@args:
    assert assertMsg ((tag == null) != (rev == null)) "fetchFromGitHub requires one of either `rev` or `tag` to be provided (not both).";
    let
      baseUrl = "https://${githubBase}/${owner}/${repo}";
      gitRepoUrl = "${baseUrl}.git";
      newMeta = meta // { homepage = meta.homepage or baseUrl; };
      passthruAttrs = without [ "owner" "repo" "tag" "rev" "fetchSubmodules" "forceFetchGit" "private" "githubBase" "varPrefix" ] args;
      useFetchGit = fetchSubmodules || leaveDotGit == true || deepClone || forceFetchGit || fetchLFS || rootDir != "" || sparseCheckout != [ ];
      common = { name = args.name or "source"; meta = newMeta; };
    in
    if useFetchGit then
      final.fetchgit (passthruAttrs // {
        inherit tag rev deepClone fetchSubmodules sparseCheckout fetchLFS passthru;
        url = gitRepoUrl;
        derivationArgs = { inherit githubBase owner repo; };
      } // (if leaveDotGit != null then { inherit leaveDotGit; } else { }) // common)
    else
      let revWithTag = getRevWithTag { inherit tag rev; }; in
      final.fetchzip (passthruAttrs // {
        url = "${baseUrl}/archive/${revWithTag}.tar.gz";
        extension = "tar.gz";
        derivationArgs = { inherit githubBase owner repo tag; rev = revWithTag; revCustom = rev; };
        passthru = { inherit gitRepoUrl; } // passthru;
      } // common);

  # fetchFromGitLab: pkgs/build-support/fetchgitlab/default.nix@01e6c140.
  # At least one of rev and tag (l.30-34), both refused by getRevWithTag
  # (l.44). Without submodules, a fetchzip of the API archive
  # https://DOMAIN/api/v4/projects/<escaped slug>/repository/archive.tar.gz?sha=<escaped rev>
  # (l.45-46, l.126), whose environment names no repository; owner, repo,
  # tag and rev (refs/tags/T) are attributes of the result only (l.140-149).
  fetchFromGitLab =
    { owner, repo, rev ? null, tag ? null, protocol ? "https", domain ? "gitlab.com", group ? null
    , fetchSubmodules ? false, postCheckout ? "", leaveDotGit ? false, deepClone ? false, forceFetchGit ? false
    , sparseCheckout ? [ ], private ? false, varPrefix ? null, ...
    }@args:
    assert assertMsg (tag != null || rev != null) "fetchFromGitLab requires at least one of `rev` or `tag` to be provided.";
    let
      slug = concatStringsSep "/" ((if group != null then [ group ] else [ ]) ++ [ owner repo ]);
      revWithTag = getRevWithTag { inherit rev tag; };
      escapedSlug = replaceStrings [ "." "/" ] [ "%2E" "%2F" ] slug;
      escapedRevWithTag = replaceStrings [ "+" "%" "/" ] [ "%2B" "%25" "%2F" ] revWithTag;
      passthruAttrs = without [ "protocol" "domain" "owner" "group" "repo" "rev" "tag" "fetchSubmodules" "forceFetchGit" "private" "varPrefix" "leaveDotGit" "deepClone" ] args;
      useFetchGit = fetchSubmodules || postCheckout != "" || deepClone || forceFetchGit || sparseCheckout != [ ];
      gitRepoUrl = "${protocol}://${domain}/${slug}.git";
      fetcherArgs =
        (if useFetchGit then { inherit rev deepClone tag fetchSubmodules sparseCheckout leaveDotGit; url = gitRepoUrl; }
        else {
          url = "${protocol}://${domain}/api/v4/projects/${escapedSlug}/repository/archive.tar.gz?sha=${escapedRevWithTag}";
          passthru = { inherit gitRepoUrl; };
        }) // passthruAttrs // { name = args.name or "source"; };
    in
    (if useFetchGit then final.fetchgit fetcherArgs else final.fetchzip fetcherArgs) // {
      meta.homepage = "${protocol}://${domain}/${slug}/";
      inherit tag owner repo;
      rev = revWithTag;
    };

  # srcOnly: pkgs/build-support/src-only/default.nix@ee72698e. The source
  # of a derivation with its patches applied: the name gets "-source"
  # (argsToOverride), and the environment has src, patches, phases and
  # installPhase. Nix's packaging calls it as
  # srcOnly (mkDerivation { src; patches; name = "${src.name}-patched"; })
  # (Swarsel/nixpkgs@4aa6836a
  # pkgs/tools/package-management/nix/modular/packaging/components.nix,
  # overrideSource's patchedSrc). Here the builder copies the stand-in
  # source file and applies the patches with busybox's patch.
  srcOnly = { name, src, patches ? [ ] }:
    lib.mkDerivation {
      name = "${name}-source";
      inherit system src patches;
      outputs = [ "out" ];
      phases = [ "unpackPhase" "patchPhase" "installPhase" ];
      separateDebugInfo = false;
      dontUnpack = false;
      dontInstall = false;
      installPhase = "cp -pr --reflink=auto -- . $out";
      builder = "${bb}/busybox";
      args = [ "sh" "-euc" ''
        PATH=${bb}
        busybox mkdir -p "$out"
        busybox cp "$src" "$out/$(busybox basename "$src" | busybox cut -d- -f2-)"
        for p in $patches; do (cd "$out" && busybox patch -p1 -i "$p"); done
      '' ];
    };
in
{
  inherit fetchurl fetchzip fetchgit fetchFromGitHub fetchFromGitLab srcOnly;
}
