// Package refs checks image references before any build starts: where an
// image is published (a reference with a tag, and more tags in the same
// repository), and that an image to pull is named by a reference at all.
//
//	refs.Publish("ghcr.io/acme/app/runtime:2026-11-22", []string{"latest"})
//	// ghcr.io/acme/app/runtime:2026-11-22, ghcr.io/acme/app/runtime:latest
//	refs.Image("--go-image", "golang:1.26 bookworm")
//	// --go-image "golang:1.26 bookworm" is not an image reference, …
package refs
