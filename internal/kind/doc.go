// Package kind defines the kinds of image nixlayer builds, once, for the
// command line, the pipeline, the customisation layer and the Dagger
// module (whose Kind enum takes its values from here).
//
// A kind decides the default sets, the attributes the image must hold and
// those it must not:
//
//	k, _ := kind.Parse("runtime")
//	k.DefaultSets()              // "base"
//	k.Check(sel.Attrs)           // an error if the sets bring sudo or nix
//	kind.Devcontainer.Required() // bashInteractive, coreutils, …, nix-direnv
package kind
