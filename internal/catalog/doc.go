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
package catalog
