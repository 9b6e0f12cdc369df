// Package sbomtest makes SBOMs as a build does, with the real Nix, for the
// tests of the SBOM and of what reads it (the scanner's matching):
//
//	doc, closure := sbomtest.Build(t, d, req, sbom.Meta{Kind: "runtime", System: "x86_64-linux"})
package sbomtest
