package nix

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// How nixpkgs' fetchers leave a source in their derivation, which is all
// a built closure tells (the fetcher's arguments, and meta, are gone):
//
//   - fetchurl (pkgs/build-support/fetchurl/default.nix): a fixed-output
//     derivation (outputHash) whose urls are the URLs, mirror://site/…
//     kept unresolved; url is left out of the derivation (it is
//     passthru), so src.url is "" whenever urls is used;
//   - fetchzip (pkgs/build-support/fetchzip): fetchurl, with extension and
//     stripRoot;
//   - fetchFromGitHub (pkgs/build-support/fetchgithub, the zip backend):
//     fetchzip of https://github.com/O/R/archive/refs/tags/T.tar.gz for a
//     tag, .../archive/REV.tar.gz for a rev, with owner, repo, githubBase,
//     tag, rev (refs/tags/T for a tag) and revCustom (the caller's rev);
//     fetchFromGitea and fetchFromCodeberg are the same with another
//     githubBase; with submodules, it is fetchgit with owner, repo and
//     githubBase;
//   - fetchgit (pkgs/build-support/fetchgit): structured attributes
//     (__structuredAttrs since 26.05), url the repository, rev (refs/tags/T
//     for a tag, a commit or a ref), tag, revCustom; never a tag and a
//     commit together (it throws);
//   - fetchFromGitLab, fetchFromForgejo, fetchFromSourcehut: fetchzip of
//     the forge's archive URL, whose tag or ref only the URL says.
//
// A package's src may also be a derivation between it and the fetch (a
// patched or filtered copy, as the components of nixpkgs' nix are built
// from): its own src is followed to the fetch.

// maxVia bounds the derivations followed between a package and its fetch.
const maxVia = 8

// sourceOf returns what the closure's derivations tell of the source p (a
// package's src), following copies of it to the fetch.
func (g *drvGraph) sourceOf(p string) *Source {
	s := &Source{Path: p}
	for range maxVia {
		m, ok := g.byOutput[p]
		if !ok {
			s.Note = "a file of nixpkgs (or of an overlay) that no fetcher made"
			return s
		}
		d := g.drvs[m.drv]
		if d.Has("outputHash") {
			fetched(s, d)
			return s
		}
		next := d.Attr("src")
		if checkStorePath(next) != nil {
			s.Note = "made by " + d.Name + ", which is neither a fetcher nor a copy of a fetched source"
			return s
		}
		s.Via = append(s.Via, d.Name)
		p = next
	}
	s.Note = "more than " + strconv.Itoa(maxVia) + " derivations between the package and its fetch"
	return s
}

// fetched fills s from the derivation of a fetch.
func fetched(s *Source, d Derivation) {
	urls := d.Attrs("urls")
	if u := d.Attr("url"); u != "" {
		urls = append([]string{u}, urls...)
	}
	for _, u := range urls {
		if !slices.Contains(s.URLs, u) {
			s.URLs = append(s.URLs, u)
		}
	}
	rev, tag := d.Attr("rev"), d.Attr("tag")
	if c := d.Attr("revCustom"); isCommit(c) {
		rev = c
	}
	switch {
	case d.Has("owner") && d.Has("repo") && d.Has("githubBase"):
		base := d.Attr("githubBase")
		s.Fetcher = "fetchFromGitHub"
		if base != "github.com" {
			s.Fetcher = "fetchFromGitea"
		}
		s.Repository = "https://" + base + "/" + d.Attr("owner") + "/" + d.Attr("repo")
	case d.Has("url") && d.Has("rev"):
		// fetchgit: url is the repository, rev what was checked out.
		s.Fetcher = "fetchgit"
		s.Repository = strings.TrimSuffix(strings.TrimSuffix(d.Attr("url"), "/"), ".git")
	case d.Has("stripRoot") || d.Has("extension"):
		s.Fetcher = "fetchzip"
	case d.Has("urls"):
		s.Fetcher = "fetchurl"
	}
	s.Settle(tag, rev)
}

// Settle completes s from a fetch's tag and rev: the repository from its
// URLs when no fetcher named one, a full commit hash as the commit, a rev
// that names a tag as the tag, and the note saying why s names nothing
// OSV could match. Fields already set are kept.
func (s *Source) Settle(tag, rev string) {
	if t, ok := strings.CutPrefix(rev, "refs/tags/"); ok {
		rev, tag = "", cmp.Or(tag, t)
	}
	if s.Repository == "" {
		fromURLs(s, &tag, &rev)
	}
	switch {
	case isCommit(rev):
		s.Commit = cmp.Or(s.Commit, strings.ToLower(rev))
	case tag == "" && rev != "" && s.Repository != "":
		// A rev that is not a commit names a tag (or a branch):
		// fetchFromGitHub { rev = "v${version}"; } is how many nixpkgs
		// packages name their release.
		tag = rev
	}
	s.Tag = cmp.Or(s.Tag, tag)
	switch {
	case s.Repository == "" && len(s.URLs) == 0:
		s.Note = "a fixed-output derivation with no URL nixlayer reads"
	case s.Repository == "":
		s.Note = "no rule names the repository of " + s.URLs[0]
		for _, u := range s.URLs {
			if why := limitFor(u); why != "" {
				s.Note = why
				break
			}
		}
	case s.Tag == "" && s.Commit != "":
		s.Note = "a commit with no tag: offline matching needs a tag or a release version"
	default:
		s.Note = ""
	}
}

// fromURLs reads the repository and ref from the fetch's URLs: a forge's
// download URL first (a GitHub release asset or archive, GitLab's,
// Gitea's, SourceHut's, a cgit snapshot), then a rule for a vendor site
// or a mirror (see Rules).
func fromURLs(s *Source, tag, rev *string) {
	for _, u := range s.URLs {
		if ref, ok := parseForgeURL(u); ok {
			s.Repository, s.Rule = ref.repo, ref.what
			*tag = cmp.Or(*tag, ref.tag)
			*rev = cmp.Or(*rev, ref.commit)
			switch {
			case strings.HasPrefix(ref.what, "GitLab") && strings.Contains(u, "/api/v4/"):
				s.Fetcher = "fetchFromGitLab"
			case ref.what == "SourceHut archive":
				s.Fetcher = "fetchFromSourcehut"
			}
			return
		}
	}
	for _, u := range s.URLs {
		if repo, t, name, ok := ruleFor(u); ok {
			s.Repository, s.Rule = repo, name
			*tag = cmp.Or(*tag, t)
			return
		}
	}
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
