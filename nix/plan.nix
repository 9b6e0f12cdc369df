# The plan: for each requested attribute path, what nixlayer needs later and
# what exists only at evaluation time: the out path, pname, version, where
# the source came from, the patches, and meta.identifiers (CPEs) and
# licences. Scan matches vulnerabilities against these.
#
# { missing = [ "attr.path" ... ]; notPackages = [ ... ]; failing = [ ... ]; packages = [ { attr; out; ... } ]; }
# When an attribute is missing or is not a package, packages is empty and
# nothing is instantiated.
#
# With lenient = true (request.json's "lenient"), for a plan of two pins
# that need not have the same attributes, no attribute fails the plan:
# packages describes the ones that evaluate, in request order, and missing,
# notPackages and failing (a package whose out path throws, such as a
# removed package's alias or one marked broken) list the others.
{ pkgs, attrs, lenient ? false }:
let
  lookup = import ./lookup.nix pkgs;

  # Metadata must not fail the plan: what cannot be evaluated is left out.
  try = x: let r = builtins.tryEval (builtins.deepSeq x x); in if r.success then r.value else null;
  str = x: if builtins.isString x then x else null;
  first = xs: if builtins.isList xs && xs != [ ] then builtins.head xs else null;

  # nixpkgs' fetchurl keeps url in passthru and sets it to "" whenever
  # urls is used (pkgs/build-support/fetchurl/default.nix), so the first
  # of urls stands for it; the forge fetchers' results carry owner, repo,
  # rev (refs/tags/T for a tag), tag and gitRepoUrl.
  source = src:
    if src == null || !(builtins.isAttrs src) then null
    else {
      url = str (if (src.url or "") != "" then src.url else first (src.urls or null));
      owner = str (src.owner or null);
      repo = str (src.repo or null);
      rev = str (src.rev or null);
      tag = str (src.tag or null);
      gitRepoUrl = str (src.gitRepoUrl or null);
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
    # This evaluation's own derivation: facts come from its graph, not from
    # whichever derivation of the same output the store also holds.
    inherit (drv) drvPath;
    pname = try (drv.pname or (builtins.parseDrvName drv.name).name);
    version = try (drv.version or (builtins.parseDrvName drv.name).version);
    src = try (source (drv.src or null));
    patches = try (map patch (drv.patches or [ ]));
    identifiers = try (drv.meta.identifiers or null);
    licenses = try (licenses (drv.meta or { }));
  };

  found = map (a: { attr = a; r = lookup a; }) attrs;
  isPackage = v: builtins.isAttrs v && (v.type or null) == "derivation";
  # Whether an attribute's value, and a package's out path, evaluate: a
  # removed package's alias throws when it is read. Only a lenient plan asks.
  evaluates = x: (builtins.tryEval (if isPackage x.r.value then builtins.seq x.r.value.outPath true else true)).success;
  present = builtins.filter (x: x.r.found) found;
  good = if lenient then builtins.filter evaluates present else present;
  missing = map (x: x.attr) (builtins.filter (x: !x.r.found) found);
  failing = if lenient then map (x: x.attr) (builtins.filter (x: !(evaluates x)) present) else [ ];
  notPackages = map (x: x.attr) (builtins.filter (x: !(isPackage x.r.value)) good);
  packages = builtins.filter (x: isPackage x.r.value) good;
in
{
  inherit missing notPackages failing;
  packages = if !lenient && (missing != [ ] || notPackages != [ ]) then [ ] else map (x: describe x.attr x.r.value) packages;
}
