// Package match finds the vulnerabilities of an image: the language
// packages inside its closure through osv-scanner's image scanning, and
// its Nix packages through OSV's GIT records, which nixlayer matches
// itself from the offline database.
//
// A Nix package is matched by what its SBOM source (or nixpkgs' github
// purl) names, see KeyOf: a repository and a tag, whose records list the
// tag or a version naming the same release (normalize.go says how, after
// osv.dev's own matching); a repository and the package's version; or,
// with Options.Online, a commit, which osv.dev's API is asked about.
// CoverageOf lists every Nix package as matchable, and by what, or not,
// and why: "N of M Nix packages have a matchable source".
//
// Each finding is then weighed: a patch whose name carries the
// vulnerability's ID suppresses it, so does an entry of the ignore file;
// a GIT match from an over-broad "introduced: 0" range that the record's
// own version range contradicts, or of a package whose built source is
// not the tag (its version is not the tag's, or upstream's patch series
// is applied), is marked low-confidence: reported, never counted.
//
//	res, _ := match.Scan(ctx, doc, img.Archive, match.Options{DB: dir, Now: now})
//	fmt.Println(res.Coverage.Summary())
//	for _, f := range res.Findings {
//		if f.Fails(scanner.High) { … }
//	}
//
// Nothing is matched by name alone, and no CPE is guessed.
package match
