// Package flake turns a composed selection of nixpkgs attributes into a Nix
// evaluation and build, through nixlayer's flake (the nix directory of the
// repository).
//
// nixlayer never builds from a flake it has to edit. For each run it writes
// a work directory: a copy of the flake, a request.json that names the
// attributes, and the project's overlay directories. Nix then evaluates that
// copy as a path: flake, so the pinned flake.lock applies and the request is
// data, never Nix code assembled from strings:
//
//	work/
//	  flake.nix flake.lock plan.nix overlays/ patches/   (copied)
//	  request.json    {"attrs": ["bashInteractive", "python312"], "overlays": ["project/0/cve.nix"]}
//	  project/0/      (the directory of the project's first overlay)
//
// Plan evaluates nixlayer.<system> from the copy: for each attribute its out
// path, pname, version, source, patches and meta.identifiers. An attribute
// that nixpkgs lacks, or that is not a package, fails the plan, unless the
// request is lenient ("lenient": true in request.json, Request.Lenient):
// then the plan describes the attributes that evaluate and lists the others
// in Plan.Missing, Plan.NotPackages and Plan.Failing (an out path that
// throws, as a removed package's alias does), so that the plans of two
// pins, whose attributes differ, can be compared. Build then
// builds every attribute and returns the out paths, whose closure is what
// the image builders lay out. For example:
//
//	w, _ := flake.Prepare(dir, nixflake.Files, flake.Request{System: "x86_64-linux", Attrs: sel.Attrs})
//	plan, _ := w.Plan(ctx, driver)
//	roots, _ := w.Build(ctx, driver, plan)
//	closure, _ := driver.PathInfo(ctx, roots...)
package flake
