// Package containertest runs the Dagger module's plans (see package
// container) on this machine, as the engine would run them, so that tests
// check what the module really does, not only the shape of its plans.
//
// An Engine has images (directory trees with their config's environment),
// cache volumes (directories, seeded from the image the first time, one
// exec at a time when locked) and the call's inputs (the module's source,
// filtered by the plan's patterns as the engine filters them, the project,
// the nixpkgs, the helper, layouts, secrets). Run mounts the image as an
// overlay in a private mount namespace, so that the exec's root holds only
// what the image and the plan provide, binds the plan's mounts into it,
// makes the plan's directories, and runs the exec there as root:
//
//	e := &containertest.Engine{Images: map[string]containertest.Image{container.DefaultNixImage: nixImage}, Dir: t.TempDir()}
//	res := e.Run(t, plan, containertest.Inputs{Helper: helper, Nixpkgs: universe})
//	res.Output(plan) // the image archive the helper wrote, on the host
//
// The test binary's TestMain must call testenv.ServeRootfs first.
//
// Invocations are the helper's invocations of every kind of call the
// module makes: the container package's plan golden shows their plans,
// and cmd/nixlayer's tests parse their command lines with the CLI's own
// command tree.
package containertest
