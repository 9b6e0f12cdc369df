package match

import (
	"net/url"
	"slices"
	"strings"
)

// How a Nix package's source is compared with OSV's GIT records. It
// follows osv.dev's own matching of a GIT query (google/osv.dev at
// 7e6c1898, go/internal/database/datastore), with one deliberate
// difference: letters that name a release are kept.
//
// Repositories (normalizeRepo). osv.dev indexes and queries a GIT package
// by its repository URL without scheme, trailing slashes and ".git"
// suffix (affected_versions.go:19-34, normalizeRepo; the query side calls
// it at vulnerability_matching.go:184-185), so http://, https:// and
// git:// URLs of the same path are one repository. Its CVE converter
// treats github.com, bitbucket.org and any host containing "gitlab" as
// case-insensitive (vulnfeeds/conversion/versions.go:132-162, IsSameRepo,
// Repo, isCaseInsensitiveHost), and records are written either way
// ("https://github.com/PCRE2Project/pcre2" in OSS-Fuzz records,
// lower-case in converted CVE records): those URLs are lower-cased whole.
// Host names are lower-cased everywhere, as DNS ignores their case.
//
// Versions. A record's affected entry lists versions: git tags in
// OSS-Fuzz records ("curl-8_15_0", "jq-1.8.1"), plain release numbers in
// records converted from CVEs ("8.9.0", "5.6.1"). osv.dev matches a
// queried version when it is listed as written
// (vulnerability_matching.go:348-361, versionIsMatchString), and
// otherwise fuzzily (fuzzyMatchString, :483-498): it strips the
// repository's owner and name from the front of each listed version
// (stripRepoPrefix, :500-527), then compares normalizeTag (:529-566, the
// Go port of osv/bug.py:31-44 normalize_tag: the runs of digits and the
// words rc, alpha, beta and preview, joined with "-") or
// canonicalizeVersion (:568-576: lower case, runs of "-", "_" and "."
// made one ".").
//
// nixlayer matches a listed version exactly as written against the
// source's tag (the "tag" match), and otherwise compares releases (the
// "version" match): a listed version, after osv.dev's stripRepoPrefix,
// names the same release as the source's tag or the package's version
// when their release keys are equal. The release key (release) drops
// what precedes the first digit (a name and separators, "curl-", "v",
// "SUDO_", "R_", "release-", as normalizeTag drops it) but keeps a
// pre-release word there, then takes the runs of digits and of letters,
// lower-cased, in order, and drops trailing zero components ("12.0" is
// "12.0.0", as vulnfeeds' VersionToCommit accepts the tag 12.0.0 for the
// version 12.0, vulnfeeds/git/versions.go:65-73).
//
// Unlike normalizeTag, letters are kept. normalizeTag drops them, so it
// makes OpenSSL_1_1_1w, OpenSSL_1_1_1a and 1.1.1 one release ("1-1-1"),
// and 1.9.17p2 the same as 1.9.17.2: a record listing OpenSSL_1_1_1w
// would match every 1.1.1 letter release. Here 1.1.1w matches
// OpenSSL_1_1_1w and 1.1.1 matches neither; SUDO_1_9_17p2, v1.9.17p2 and
// 1.9.17p2 are one release; and 10.45-RC1 is not 10.45, nor is
// rc-8_15_0-2 8.15.0. Unlike canonicalizeVersion, a name before the
// release is ignored, so curl-8_15_0 is 8.15.0 without relying on the
// repository's name. Nothing is matched by a digit-free string but
// exactly.

// normalizeRepo is a repository URL as nixlayer compares it: host and
// path, without scheme, trailing slashes or ".git"; lower case for
// github.com, bitbucket.org and GitLab hosts; the host in lower case.
func normalizeRepo(repo string) string {
	u, err := url.Parse(repo)
	if err != nil {
		return repo
	}
	host := strings.ToLower(u.Host)
	s := strings.TrimSuffix(strings.TrimRight(host+u.Path, "/"), ".git")
	if host == "" {
		// A URL without scheme, such as "github.com/o/r": its host is
		// the first path element.
		host, _, _ = strings.Cut(strings.ToLower(s), "/")
	}
	if host == "github.com" || host == "bitbucket.org" || strings.Contains(host, "gitlab") {
		s = strings.ToLower(s)
	}
	return s
}

// sameRepo reports whether two repository URLs name one repository.
func sameRepo(a, b string) bool { return a != "" && normalizeRepo(a) == normalizeRepo(b) }

// stripRepoPrefix removes the repository's name from the front of a
// listed version as osv.dev does (vulnerability_matching.go:500-527):
// the owner, then the repository's name (both lower case, from the
// URL's path), then a "-"; the version's own case is kept, so only a
// lower-case prefix goes. "pcre2-10.46" of PCRE2Project/pcre2 is "10.46".
func stripRepoPrefix(version, repo string) string {
	u, err := url.Parse(repo)
	if err != nil || repo == "" {
		return version
	}
	parts := strings.Split(strings.TrimSuffix(strings.ToLower(u.Path), "/"), "/")
	name := strings.TrimSuffix(parts[len(parts)-1], ".git")
	owner := ""
	if len(parts) >= 2 {
		owner = strings.TrimSuffix(parts[len(parts)-2], ".git")
	}
	version = strings.TrimPrefix(version, owner)
	version = strings.TrimPrefix(version, name)
	return strings.TrimPrefix(version, "-")
}

// preRelease are the words osv.dev's normalizeTag keeps.
var preRelease = []string{"rc", "alpha", "beta", "preview"}

// release is the release key of a tag or version (see the comment at the
// top of this file), its components joined with ".": "curl-8_15_0" and
// "8.15.0" give "8.15", "OpenSSL_1_1_1w" gives "1.1.1.w", "rc-8_15_0-2"
// gives "rc.8.15.0.2". A string without digits names no release: "".
func release(s string) string {
	i := strings.IndexFunc(s, isDigit)
	if i < 0 {
		return ""
	}
	var parts []string
	for _, w := range runs(strings.ToLower(s[:i])) {
		if slices.Contains(preRelease, w) {
			parts = append(parts, w)
		}
	}
	parts = append(parts, runs(strings.ToLower(s[i:]))...)
	for len(parts) > 1 && parts[len(parts)-1] == "0" && isDigit(rune(parts[len(parts)-2][0])) {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}

// runs splits s into its runs of ASCII digits and of ASCII letters; the
// rest separates them.
func runs(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := rune(s[i])
		if !isDigit(c) && !isLetter(c) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && (isDigit(rune(s[j])) && isDigit(c) || isLetter(rune(s[j])) && isLetter(c)) {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func isDigit(c rune) bool  { return '0' <= c && c <= '9' }
func isLetter(c rune) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// sameRelease reports whether a listed version of a record whose GIT range
// is for repo names the release of tagOrVersion.
func sameRelease(listed, repo, tagOrVersion string) bool {
	l := release(stripRepoPrefix(listed, repo))
	return l != "" && l == release(stripRepoPrefix(tagOrVersion, repo))
}
