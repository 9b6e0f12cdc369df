# A few nixpkgs lib functions, and mkDerivation with the parts of its
# interface that nixlayer reads: pname, version, src, patches, meta,
# passthru and overrideAttrs.
rec {
  fix = f: let x = f x; in x;

  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];

  # mkDerivation { pname; version; builder; args; ... }: attributes other than
  # src, meta and passthru become the builder's environment.
  mkDerivation = attrs:
    let
      a = { patches = [ ]; meta = { }; passthru = { }; } // attrs;
      drv = derivation (builtins.removeAttrs a [ "src" "meta" "passthru" "pname" "version" ] // {
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

  # The src a fetchFromGitHub call would give.
  github = { owner, repo, tag }: {
    inherit owner repo tag;
    rev = tag;
    url = "https://github.com/${owner}/${repo}/archive/${tag}.tar.gz";
  };

  # meta.identifiers as nixpkgs computes it from cpeParts.
  cpe = vendor: product: version: {
    cpeParts = { part = "a"; inherit vendor product version; update = "*"; edition = "*"; sw_edition = "*"; target_sw = "*"; target_hw = "*"; language = "*"; other = "*"; };
    cpe = "cpe:2.3:a:${vendor}:${product}:${version}:*:*:*:*:*:*:*";
    possibleCPEs = [ ];
  };
}
