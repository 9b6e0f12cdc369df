// Package platform is the one table of the platforms nixlayer builds
// for, nix/platforms.json, which nixlayer's flake reads too. Each entry
// ties the names the tools use for one platform together:
//
//	p, _ := platform.Parse("linux/arm64") // or "linux/arm64/v8", or "aarch64-linux"
//	p.System                              // "aarch64-linux", for Nix
//	p.GOARCH                              // "arm64", for the helper's go build
//	p.Architecture, p.Variant             // "arm64", "v8", for the image config
//	p.Loader                              // "/lib/ld-linux-aarch64.so.1", for vscodeCompat
package platform
