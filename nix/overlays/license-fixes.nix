# Licence corrections to nixpkgs' meta.license, for packages whose licence
# nixpkgs gets wrong or leaves out, so that what Scan reports is right.
#
# Each entry overrides meta and nothing else, so store paths do not change:
#
#   somePackage = prev.somePackage.overrideAttrs (old: {
#     meta = old.meta // { license = prev.lib.licenses.mit; };
#   });
#
# It has no entries yet.
final: prev: { }
