// Engineload runs the Dagger engine's load sequence for the nixlayer
// module, and for the modules that depend on it, without an engine: the
// steps at which a real engine fails a module before any of its functions
// runs.
//
// Usage, from this directory:
//
//	go run . [-update]
//
// At every load, a Dagger engine with the Go SDK (core/sdk/go_sdk.go of
// github.com/dagger/dagger at the engine's version):
//
//  1. reads the module's types: it deletes the module's dagger.gen.go and
//     its whole internal/ directory, then runs codegen generate-typedefs,
//     which sends the types it reads through the engine's session API and
//     writes the ID of the module they build; the engine loads the module
//     from that ID and installs its types;
//  2. generates the module's code: codegen generate-module writes
//     dagger.gen.go and internal/dagger, then runs go mod edit -replace for
//     the SDK's pinned modules, go get -u dagger.io/dagger and go mod tidy;
//  3. builds the module with go build -ldflags "-s -w" .
//
// A module that depends on this one goes through steps 2 and 3 with a
// schema that holds this module's types too.
//
// Engineload does the same with Dagger's own code generator, built from
// the Go module proxy at the version dagger.json names (this directory's
// go.mod keeps it apart from the module's). The schema the engine gives
// a module's code generation is testdata/introspection.json, as a Dagger
// v0.20.6 engine served it. Step 1 needs a session, which a stand-in
// answers from that schema (session.go), recording the calls and
// replaying them with the engine's own rules (replay.go); what it reads
// must equal testdata/nixlayer.api, the module's API, which -update
// writes. For the dependents, the module's types are installed into the
// schema as the engine installs a dependency's (schema.go).
//
// It fails with one line that names the load step the engine would fail
// at, after the output of the command that failed.
package main
