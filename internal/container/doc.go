// Package container holds the Dagger module's containers as data, so that
// they need no engine to be built, read or run. For each call, the module
// asks this package for the plans of the containers it needs, and its root
// package turns each Plan into engine calls mechanically, making no
// decision of its own; the tests run the same plans on this machine, with
// the real Nix and the test universe (see containertest).
//
// A runtime image for linux/amd64 takes two plans. The first builds the
// helper, cmd/nixlayer, in the Go image:
//
//	image    docker.io/library/golang:1.26-bookworm@sha256:…
//	mount    cache      /go/pkg/mod            nixlayer-go-mod (shared)
//	mount    cache      /root/.cache/go-build  nixlayer-go-build (shared)
//	mount    directory  /src                   the module's source: go.mod, go.sum, cmd/**, internal/**, nix/**
//	env      CGO_ENABLED=0 GOOS=linux GOARCH=amd64 …
//	workdir  /src
//	exec     go build -trimpath -ldflags=-s -w -o /out/nixlayer ./cmd/nixlayer
//	output   file /out/nixlayer
//
// The second runs it in the Nix image, with /nix in a cache volume seeded
// from the image's own:
//
//	image    docker.io/nixos/nix:2.35.2@sha256:…  (linux/amd64)
//	mount    cache      /nix                   nixlayer-nix-store-x86_64-linux-… (locked, seeded from /nix)
//	mount    cache      /root/.cache/nix       nixlayer-nix-fetcher-x86_64-linux-… (locked)
//	mount    cache      /nixlayer/cache        nixlayer-layer-blobs-v1 (shared)
//	mount    file       /nixlayer/bin/nixlayer the helper
//	env      NIX_CONFIG=… HOME=/root NO_COLOR=1 NIXLAYER_HELPER=1
//	mkdir    /nixlayer/out
//	exec     /nixlayer/bin/nixlayer build runtime --sets=base --platform=linux/amd64 --catalog-store=https://cache.nixos.org --cache=/nixlayer/cache --output=/nixlayer/out/image.tar
//	output   file /nixlayer/out/image.tar
//
// The output directory is made by the plan: the Nix image has none, and
// the helper writes only into a directory that exists. Each command the
// helper runs is a type of Invocation (Build, Closure, Inventory, Index,
// Publish, Update), which writes its flags by the names the CLI defines
// them with (internal/clispec); TestPlanDoc keeps these examples the
// plans'.
//
// An update of the nixpkgs pin (an Update) runs the helper the same way,
// with the source's nix/ directory mounted at FlakeDir and the blob
// cache; it writes the new flake.nix and flake.lock with the report into
// ChangesDir, which the module returns. It reaches GitHub and nixpkgs'
// branch, so its plan is Fresh, and a GitHub token comes as a secret.
package container
