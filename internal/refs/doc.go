// Package refs checks where an image is published: a reference with a
// tag, and more tags in the same repository, before any build starts.
//
//	refs.Publish("ghcr.io/acme/app/runtime:2026-11-22", []string{"latest"})
//	// ghcr.io/acme/app/runtime:2026-11-22, ghcr.io/acme/app/runtime:latest
package refs
