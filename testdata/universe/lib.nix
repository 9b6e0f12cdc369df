# A few nixpkgs lib functions, and mkDerivation with the parts of its
# interface that nixlayer reads: pname, version, src, patches, meta,
# passthru, overrideAttrs and structured attributes.
rec {
  fix = f: let x = f x; in x;

  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];

  # mkDerivation { pname; version; src; builder; args; ... } (or name in
  # place of pname and version): attributes other than meta and passthru
  # become the builder's environment, as in nixpkgs: src (a fetcher's
  # derivation) and patches (store paths) are there too, so `nix derivation
  # show` tells where each package's source came from. With
  # __structuredAttrs = true, as nixpkgs' mkDerivation passes it on, the
  # environment is __json and the outputs, and the builder reads
  # .attrs.sh or .attrs.json (see builders/attrs.sh).
  mkDerivation = attrs:
    let
      a = { patches = [ ]; meta = { }; passthru = { }; } // attrs;
      drv = derivation (builtins.removeAttrs a [ "meta" "passthru" ] // {
        name = a.name or "${a.pname}-${a.version}";
      });
    in
    drv // a.passthru // {
      inherit (a) patches meta;
      src = a.src or null;
      overrideAttrs = f:
        let g = f a; in mkDerivation (a // (if builtins.isFunction g then g a else g));
    };

  # meta.identifiers as nixpkgs computes it
  # (pkgs/stdenv/generic/check-meta.nix@00284adb): cpeParts are the
  # defaults (part "a", "*" for edition, sw_edition, target_sw, target_hw,
  # language and other) with the package's own; cpe only when all eleven
  # are set, and then possibleCPEs lists it; purl "pkg:TYPE/SPEC" from
  # purlParts, and purls; all of it under v1 too.
  identifiers = { cpeParts ? { }, purlParts ? null }:
    let
      parts = { part = "a"; edition = "*"; sw_edition = "*"; target_sw = "*"; target_hw = "*"; language = "*"; other = "*"; } // cpeParts;
      names = [ "part" "vendor" "product" "version" "update" "edition" "language" "sw_edition" "target_sw" "target_hw" "other" ];
      complete = builtins.all (n: (parts.${n} or null) != null) names;
      cpe = if complete then "cpe:2.3:" + builtins.concatStringsSep ":" (map (n: parts.${n}) names) else null;
      purl = if purlParts != null then "pkg:${purlParts.type}/${purlParts.spec}" else null;
      v1 = { cpeParts = parts; possibleCPEs = if cpe != null then [ { cpeParts = parts; inherit cpe; } ] else [ ]; purls = if purl != null then [ purl ] else [ ]; }
        // (if cpe != null then { inherit cpe; } else { })
        // (if purl != null then { inherit purl; } else { });
    in
    v1 // { inherit v1; } // (if purlParts != null then { inherit purlParts; } else { });

  # The identifiers of a CPE with vendor, product and version, and update
  # "*", as lib.meta.cpeFullVersionWithVendor gives them.
  cpe = vendor: product: version: identifiers { cpeParts = { inherit vendor product version; update = "*"; }; };
}
