# Packages nixlayer builds itself rather than take from nixpkgs: new
# attributes, or existing ones built with other options. They go after
# cve-patches.nix and license-fixes.nix and before a project's overlays,
# which can override them in turn.
#
#   myTool = final.callPackage ./my-tool.nix { };
#
# It has no entries yet.
final: prev: { }
