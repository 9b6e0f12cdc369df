// Package match finds the vulnerabilities of an image: the language
// packages inside its closure through osv-scanner's image scanning, and
// its Nix packages through OSV's GIT ranges, by the source repository, tag
// and commit its SBOM records. It then weighs each finding: a patch whose
// name carries the vulnerability's ID suppresses it, so does an entry of
// the ignore file, and a GIT match from an over-broad "introduced: 0" range
// that the record's own version range contradicts is marked low-confidence.
//
//	res, _ := match.Scan(ctx, doc, img.Archive, match.Options{DB: dir, Now: now})
//	for _, f := range res.Findings {
//		if f.Counts() && f.Severity.Level.Fails(policy.High) { … }
//	}
//
// Nothing is matched by name alone, and no CPE is guessed.
package match
