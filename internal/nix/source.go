package nix

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// sourceOf reads the origin of the src store path p from the environment of
// the derivation that made it: url and urls (fetchurl, fetchzip and so
// fetchFromGitHub), rev and tag (fetchgit, and fetchers that record both).
func sourceOf(p string, env map[string]string) Source {
	s := Source{Path: p}
	for _, u := range append([]string{env["url"]}, strings.Fields(env["urls"])...) {
		if u != "" && !slices.Contains(s.URLs, u) {
			s.URLs = append(s.URLs, u)
		}
	}
	rev, tag := env["rev"], env["tag"]
	if t, ok := strings.CutPrefix(rev, "refs/tags/"); ok {
		rev, tag = "", cmp.Or(tag, t)
	}
	for _, u := range s.URLs {
		if gh, ok := parseGitHubArchive(u); ok {
			s.Repository = gh.repo
			tag = cmp.Or(tag, gh.tag)
			rev = cmp.Or(rev, gh.commit)
			break
		}
	}
	if s.Repository == "" && rev != "" && len(s.URLs) == 1 {
		// fetchgit: url is the repository, rev what was checked out.
		s.Repository = strings.TrimSuffix(s.URLs[0], ".git")
	}
	if isCommit(rev) {
		s.Commit = strings.ToLower(rev)
	} else if tag == "" && rev != "" && s.Repository != "" {
		// A rev that is not a commit hash names a tag or branch;
		// fetchFromGitHub { rev = "v1.2"; } is a tag by convention.
		tag = rev
	}
	s.Tag = tag
	return s
}

// githubArchive matches GitHub's source archive URLs:
// https://github.com/OWNER/REPO/archive/REF.tar.gz, or
// .../archive/refs/tags/TAG.tar.gz (fetchFromGitHub with a tag).
var githubArchive = regexp.MustCompile(`^/([^/]+)/([^/]+)/archive/(refs/tags/)?(.+?)\.(?:tar\.gz|zip)$`)

type githubRef struct{ repo, tag, commit string }

// parseGitHubArchive reads the repository and ref of a GitHub archive URL.
// A ref of 40 hexadecimal digits is a commit; anything else a tag.
func parseGitHubArchive(raw string) (githubRef, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host != "github.com" {
		return githubRef{}, false
	}
	m := githubArchive.FindStringSubmatch(u.Path)
	if m == nil {
		return githubRef{}, false
	}
	r := githubRef{repo: "https://github.com/" + m[1] + "/" + m[2]}
	if m[3] == "" && isCommit(m[4]) {
		r.commit = strings.ToLower(m[4])
	} else {
		r.tag = m[4]
	}
	return r, true
}

// isCommit reports whether s is a full SHA-1 git commit hash.
func isCommit(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
