// Package sbom writes and reads the SBOM that nixlayer puts into every
// image: a CycloneDX 1.6 JSON document with one component per store path of
// the image's closure, not only the requested attributes, so that openssl,
// zlib and glibc are in it when they reach the image as dependencies.
//
// Each component is what Nix itself knows about the path, from the
// derivation that made it ("nix derivation show -r", see
// [nix.ClosureFacts]): its bom-ref is the store path, with the narHash, the
// pname and version, the source (repository, tag and commit where the
// fetcher says so, as a vcs reference and properties), and the patches as
// pedigree patches that resolve the CVEs their names carry. For requested
// attributes, evaluation adds meta.identifiers (CPE, purl) and licences. A
// path no derivation made is named after its store path and flagged so.
//
// The SBOM is deterministic: components are sorted, the timestamp is the
// image's epoch, and the serial number is derived from the content, so the
// same closure gives the same bytes and the image digest stays
// reproducible. An image carries it at [Path], with its [Digest] in the
// [Label] label; the scanner reads it back with [Decode].
//
//	drvs, _ := driver.Derivations(ctx, roots...)
//	doc, _ := sbom.New(sbom.Meta{Kind: "runtime", Sets: sets, System: system,
//		Nixpkgs: pin, Epoch: epoch}, closure, drvs, plan)
//	data, _ := doc.Encode()
//	labels[sbom.Label] = sbom.Digest(data)
//	files[sbom.Path] = data
package sbom
