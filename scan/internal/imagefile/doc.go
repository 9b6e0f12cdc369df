// Package imagefile opens the images the scanner reads, an image archive
// (the tar nixlayer writes, which holds both docker's manifest.json and an
// OCI layout, or a plain docker archive) or an OCI layout directory, and
// takes the SBOM out of them.
//
//	img, _ := imagefile.Open("runtime.tar", tmp)
//	defer img.Close()
//	data, _ := img.SBOM() // the file at sbom.Path, checked against the label
package imagefile
