// Package catalog gets the closure data of nixlayer's catalog: for every
// attribute of every built-in set, its out path and the closure graph of
// them all. The layer planner (package layers) groups store paths by the
// catalog attributes whose closures hold them, so that the same pin always
// gives the same plan, whatever image is being built.
//
// Where the data comes from is explicit, in a Source:
//
//   - the local store (Source.Store empty): nixlayer builds every catalog
//     attribute, then reads the closures with "nix path-info";
//   - a binary cache (Source.Store = "https://cache.nixos.org", or any
//     store URL such as "file:///srv/cache"): Nix reads the closures from
//     the cache's narinfo files, and downloads nothing. When the cache
//     lacks a path (an overlay changed it) or cannot be reached, the
//     catalog is built and read from the local store instead.
//
// Either way the result is recorded in Source.Dir under a key made of the
// system and every catalog out path, so later builds on the same pin and
// overlays read it back without asking Nix:
//
//	src := catalog.Source{Dir: "~/.cache/nixlayer/catalog"}
//	c, recorded, err := src.Load(ctx, driver, work, plan)
//	// c.Roots["python312"] == "/nix/store/…-python3-3.12.8"
//
// Step is the catalog step that a build (internal/pipeline) and the plan
// of an update (internal/update) both take, so that they read the same
// catalog and lay out the same layers: it plans every catalog attribute
// in a work directory, reads the closures from its Source (with the
// records in the cache directory, cachedir.Dir.Catalogs), partitions the
// catalog with its Budget and Sets, and plans an image on that
// partitioning:
//
//	step := catalog.Step{Cache: cache, Sets: catalog.Sets(sets.Builtin(), nil)}
//	c, err := step.Read(ctx, driver, nixflake.Files, "x86_64-linux", nil, workDir)
//	part, err := step.Partition(c.Catalog)
//	plan, err := step.Plan(layers.Image{Roots: roots, Graph: closure}, part)
package catalog
