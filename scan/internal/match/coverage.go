package match

import (
	"fmt"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/nixlayer/nixlayer/internal/sbom"
)

// What a Nix package is matched by (Key.Kind), which the SBOM's source
// says.
const (
	// KeyTag is a repository and tag that the fetcher named
	// (fetchFromGitHub's tag, a release asset's or archive's URL,
	// fetchgit's refs/tags/…).
	KeyTag = "tag"
	// KeyRule is a repository and tag that a rule gave from the fetch's
	// URL (the source's Rule names it): a vendor site's or a mirror's
	// ("gnu", "python.org"), or a forge URL's shape, as the SBOM says.
	KeyRule = "rule"
	// KeyPURL is a repository and tag from nixpkgs' meta.identifiers: a
	// purl of type github, pkg:github/OWNER/REPO@TAG.
	KeyPURL = "purl"
	// KeyVersion is a repository with no tag or commit: only a record
	// listing the package's version can match it.
	KeyVersion = "version"
	// KeyCommit is a commit and no tag, matched by osv.dev's API
	// (--online) only.
	KeyCommit = "commit"
)

// Key is what a Nix package is matched by, or why it cannot be.
type Key struct {
	// Kind is KeyTag, KeyRule, KeyPURL, KeyVersion or KeyCommit; "" when
	// the package cannot be matched, and Reason says why.
	Kind       string `json:"key,omitempty"`
	Repository string `json:"repository,omitempty"`
	Tag        string `json:"tag,omitempty"`
	Commit     string `json:"commit,omitempty"`
	// Rule is the URL rule that gave the repository and tag (KeyRule).
	Rule   string `json:"rule,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Matchable reports whether k can match a record.
func (k Key) Matchable() bool { return k.Kind != "" }

// KeyOf says what the Nix package c is matched by: this is what
// "matchable" means. A package is matchable when its source (or nixpkgs'
// purl) names
//
//   - a repository and a tag: by the tag, and by its version, against
//     the records of that repository (KeyTag, KeyRule, KeyPURL; the
//     source's repository and tag win over the purl's);
//   - a repository, no tag and no commit, and the package has a version:
//     by its version (KeyVersion);
//   - a commit and no tag: only online, by osv.dev's API (KeyCommit);
//     offline it is not matchable, for OSV's GIT records list tags and
//     releases, and a commit's place among them needs the repository's
//     history.
//
// Otherwise it is not matchable, and the key's Reason says why: no
// source, a source without a repository (the SBOM's note says why), a
// commit offline. Nothing else is used: not the package's name, and not
// its CPE.
func KeyOf(c sbom.Component, online bool) Key {
	s := c.Source
	var k Key
	note := ""
	if s != nil {
		k = Key{Repository: s.Repository, Tag: s.Tag, Commit: s.Commit, Rule: s.Rule}
		note = s.Note
	}
	if k.Repository != "" && k.Tag != "" {
		// The tag is what was fetched; a commit beside it adds nothing.
		k.Commit, k.Kind = "", KeyTag
		if k.Rule != "" {
			k.Kind = KeyRule
		}
		return k
	}
	if p, ok := githubPURL(c.PURL); ok && p.Tag != "" {
		return Key{Kind: KeyPURL, Repository: p.Repository, Tag: p.Tag}
	} else if ok && k.Commit == "" && k.Repository == "" {
		k.Repository, k.Commit = p.Repository, p.Commit
	}
	switch {
	case k.Commit != "":
		k.Tag, k.Rule = "", ""
		if online {
			k.Kind = KeyCommit
			return k
		}
		if note != "" {
			k.Reason = fmt.Sprintf("%s (commit %s); --online asks osv.dev by commit", note, k.Commit)
		} else {
			k.Reason = fmt.Sprintf("its source is commit %s and names no tag: OSV's offline records list tags and releases; --online asks osv.dev by commit", k.Commit)
		}
	case k.Repository != "" && c.Version != "":
		k.Kind = KeyVersion
	case k.Repository != "":
		k.Reason = "its source names repository " + k.Repository + " but no tag, commit or version"
	case s == nil && c.Fallback:
		k.Reason = "no derivation made this path: nothing says what source it was built from"
	case s == nil:
		k.Reason = "its derivation has no source"
	case note != "":
		k.Reason = note
	case k.Tag != "":
		k.Reason = "its source names tag " + k.Tag + " but no repository"
	case len(s.URLs) > 0:
		k.Reason = "its source names no repository: " + strings.Join(s.URLs, " ")
	default:
		k.Reason = "its source names no repository"
	}
	return k
}

// githubKey is what a purl of type github names.
type githubKey struct{ Repository, Tag, Commit string }

// githubPURL reads a purl of type github, pkg:github/OWNER/REPO@REF,
// where REF is a tag, or a commit when it is 40 hexadecimal digits (as
// nixpkgs' fetchFromGitHub writes its purlParts, "O/R@${revOrTag}").
func githubPURL(s string) (githubKey, bool) {
	if s == "" {
		return githubKey{}, false
	}
	p, err := packageurl.FromString(s)
	if err != nil || p.Type != packageurl.TypeGithub || p.Namespace == "" || p.Name == "" || p.Version == "" {
		return githubKey{}, false
	}
	k := githubKey{Repository: "https://github.com/" + p.Namespace + "/" + p.Name}
	if isCommit(p.Version) {
		k.Commit = strings.ToLower(p.Version)
	} else {
		k.Tag = p.Version
	}
	return k, true
}

// isCommit reports whether s is a full SHA-1 git commit hash.
func isCommit(s string) bool {
	if len(s) != 40 {
		return false
	}
	return strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// Coverage is how many of the SBOM's Nix packages the scan can match.
type Coverage struct {
	// Matchable is N, and Total is M, in "N of M Nix packages have a
	// matchable source" (see CoverageOf).
	Matchable int `json:"matchable"`
	Total     int `json:"total"`
	// ByKey counts the matchable ones by Key.Kind.
	ByKey map[string]int `json:"byKey"`
	// Packages are every Nix package, sorted by store path, with what it
	// is matched by or why it cannot be.
	Packages []Covered `json:"packages"`
}

// Covered is one Nix package of the coverage.
type Covered struct {
	StorePath string `json:"storePath"`
	Name      string `json:"name,omitempty"`
	Version   string `json:"version,omitempty"`
	Key
}

// Unmatchable are the packages that cannot be matched.
func (c Coverage) Unmatchable() []Covered {
	var out []Covered
	for _, p := range c.Packages {
		if !p.Matchable() {
			out = append(out, p)
		}
	}
	return out
}

// CoverageOf is the coverage of doc: M is the number of its components,
// every store path of the closure, dependencies and every output
// included, for each is a Nix package an image carries; N is the number
// of them that KeyOf finds matchable. online is --online, which makes
// commit-only sources matchable.
func CoverageOf(doc *sbom.Document, online bool) Coverage {
	cov := Coverage{Total: len(doc.Components), ByKey: map[string]int{}, Packages: []Covered{}}
	for _, c := range doc.Components {
		k := KeyOf(c, online)
		if k.Matchable() {
			cov.Matchable++
			cov.ByKey[k.Kind]++
		}
		cov.Packages = append(cov.Packages, Covered{StorePath: c.Path, Name: c.Name, Version: c.Version, Key: k})
	}
	return cov
}

// Summary is the coverage in one sentence: "N of M Nix packages have a
// matchable source (tag 40, rule 30, purl 2, version 1)".
func (c Coverage) Summary() string {
	s := fmt.Sprintf("%d of %d Nix packages have a matchable source", c.Matchable, c.Total)
	var by []string
	for _, k := range []string{KeyTag, KeyRule, KeyPURL, KeyVersion, KeyCommit} {
		if n := c.ByKey[k]; n > 0 {
			by = append(by, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(by) > 0 {
		s += " (" + strings.Join(by, ", ") + ")"
	}
	return s
}
