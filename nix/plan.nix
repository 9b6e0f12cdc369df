# The plan: for each requested attribute path, what nixlayer needs later and
# what exists only at evaluation time: the out path, pname, version, where
# the source came from, the patches, and meta.identifiers (CPEs) and
# licences. Scan matches vulnerabilities against these.
#
# { missing = [ "attr.path" ... ]; notPackages = [ ... ]; packages = [ { attr; out; ... } ]; }
# When an attribute is missing or is not a package, packages is empty and
# nothing is instantiated.
{ pkgs, attrs }:
let
  lookup = import ./lookup.nix pkgs;

  # Metadata must not fail the plan: what cannot be evaluated is left out.
  try = x: let r = builtins.tryEval (builtins.deepSeq x x); in if r.success then r.value else null;
  str = x: if builtins.isString x then x else null;
  first = xs: if builtins.isList xs && xs != [ ] then builtins.head xs else null;

  source = src:
    if src == null || !(builtins.isAttrs src) then null
    else {
      url = str (src.url or (first (src.urls or null)));
      owner = str (src.owner or null);
      repo = str (src.repo or null);
      rev = str (src.rev or null);
      tag = str (src.tag or null);
    };

  patch = p:
    if builtins.isPath p then { name = baseNameOf p; url = null; }
    else if builtins.isAttrs p then { name = str (p.name or null); url = str (p.url or (first (p.urls or null))); }
    else { name = baseNameOf (toString p); url = null; };

  licenses = meta:
    let l = meta.license or [ ]; ls = if builtins.isList l then l else [ l ];
    in map (x: if builtins.isAttrs x then x.spdxId or x.shortName or null else str x) ls;

  describe = attr: drv: {
    inherit attr;
    inherit (drv) name;
    # Not "outPath": Nix would turn the whole set into that string.
    out = drv.outPath;
    pname = try (drv.pname or (builtins.parseDrvName drv.name).name);
    version = try (drv.version or (builtins.parseDrvName drv.name).version);
    src = try (source (drv.src or null));
    patches = try (map patch (drv.patches or [ ]));
    identifiers = try (drv.meta.identifiers or null);
    licenses = try (licenses (drv.meta or { }));
  };

  found = map (a: { attr = a; r = lookup a; }) attrs;
  missing = map (x: x.attr) (builtins.filter (x: !x.r.found) found);
  notPackages = map (x: x.attr) (builtins.filter (x: x.r.found && !(builtins.isAttrs x.r.value && (x.r.value.type or null) == "derivation")) found);
in
{
  inherit missing notPackages;
  packages = if missing != [ ] || notPackages != [ ] then [ ] else map (x: describe x.attr x.r.value) found;
}
