# A few nixpkgs lib functions, and mkDerivation with the parts of its
# interface that nixlayer reads: pname, version, src, patches, meta,
# passthru and overrideAttrs.
rec {
  fix = f: let x = f x; in x;

  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];

  # mkDerivation { pname; version; src; builder; args; ... }: attributes other
  # than meta and passthru become the builder's environment, as in nixpkgs:
  # src (a fetcher's derivation) and patches (store paths) are there too, so
  # `nix derivation show` tells where each package's source came from.
  mkDerivation = attrs:
    let
      a = { patches = [ ]; meta = { }; passthru = { }; } // attrs;
      drv = derivation (builtins.removeAttrs a [ "meta" "passthru" "pname" "version" ] // {
        name = "${a.pname}-${a.version}";
        inherit (a) pname version;
      });
    in
    drv // a.passthru // {
      inherit (a) pname version patches meta;
      src = a.src or null;
      overrideAttrs = f:
        let g = f a; in mkDerivation (a // (if builtins.isFunction g then g a else g));
    };

  # meta.identifiers as nixpkgs computes it from cpeParts.
  cpe = vendor: product: version: {
    cpeParts = { part = "a"; inherit vendor product version; update = "*"; edition = "*"; sw_edition = "*"; target_sw = "*"; target_hw = "*"; language = "*"; other = "*"; };
    cpe = "cpe:2.3:a:${vendor}:${product}:${version}:*:*:*:*:*:*:*";
    possibleCPEs = [ ];
  };
}
