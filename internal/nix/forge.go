package nix

import (
	"net/url"
	"regexp"
	"strings"
)

// A forgeRef is what a forge's download URL tells: the repository, and the
// tag or commit it is at.
type forgeRef struct {
	repo, tag, commit string
	// what names the kind of URL, for the SBOM: "GitHub release asset" and
	// the like.
	what string
}

// parseForgeURL reads the repository and ref of a forge's download URL,
// in the shapes nixpkgs' fetchers and packages use (the file and line of
// each is in the comment of its pattern). A ref of 40 hexadecimal digits
// is a commit; any other a tag.
func parseForgeURL(raw string) (forgeRef, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" {
		return forgeRef{}, false
	}
	host := strings.ToLower(u.Host)
	path := u.EscapedPath()
	for _, f := range forgePatterns {
		if f.host != "" && f.host != host || f.host == "" && !f.anyHost(host) {
			continue
		}
		m := f.re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		ref := f.ref(u, m)
		if ref.repo == "" {
			continue
		}
		ref.repo = "https://" + host + ref.repo
		ref.what = f.what
		if isCommit(ref.tag) {
			ref.commit, ref.tag = strings.ToLower(ref.tag), ""
		}
		return ref, true
	}
	return forgeRef{}, false
}

// forgePattern is one shape of download URL.
type forgePattern struct {
	what    string
	host    string                 // the host, or "" for anyHost
	anyHost func(host string) bool // the hosts a self-hosted forge may have
	re      *regexp.Regexp         // on the URL's escaped path
	ref     func(u *url.URL, m []string) forgeRef
}

// unescape decodes a path segment, such as a tag with %2B for +.
func unescape(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}

// stripArchive drops an archive's extension.
var archiveExt = regexp.MustCompile(`\.(tar\.gz|tar\.bz2|tar\.xz|tar\.zst|tgz|zip)$`)

var forgePatterns = []forgePattern{
	{
		// fetchFromGitHub's zip backend (pkgs/build-support/fetchgithub,
		// l.147-159): /O/R/archive/refs/tags/T.tar.gz for a tag,
		// /O/R/archive/REV.tar.gz for a rev; fetchurl of a commit archive
		// (libssh2's snapshot) has the second shape too.
		what: "GitHub archive", host: "github.com",
		re: regexp.MustCompile(`^/([^/]+)/([^/]+)/archive/(refs/tags/)?(.+?)\.(?:tar\.gz|zip)$`),
		ref: func(_ *url.URL, m []string) forgeRef {
			return forgeRef{repo: "/" + m[1] + "/" + m[2], tag: unescape(m[4])}
		},
	},
	{
		// A GitHub release asset: /O/R/releases/download/TAG/FILE, as
		// nixpkgs' openssl, curl, zlib, xz, jq and pcre2 fetch
		// (research: their package files' src urls).
		what: "GitHub release asset", host: "github.com",
		re: regexp.MustCompile(`^/([^/]+)/([^/]+)/releases/download/([^/]+)/[^/]+$`),
		ref: func(_ *url.URL, m []string) forgeRef {
			return forgeRef{repo: "/" + m[1] + "/" + m[2], tag: unescape(m[3])}
		},
	},
	{
		// raw.githubusercontent.com/O/R/refs/tags/T/FILE, as nixpkgs'
		// cacert fetches certdata.txt.
		what: "GitHub raw file", host: "raw.githubusercontent.com",
		re: regexp.MustCompile(`^/([^/]+)/([^/]+)/refs/tags/([^/]+)/`),
		ref: func(_ *url.URL, m []string) forgeRef {
			return forgeRef{repo: "/" + m[1] + "/" + m[2], tag: unescape(m[3])}
		},
	},
	{
		// fetchFromGitLab's zip backend (pkgs/build-support/fetchgitlab,
		// l.126): /api/v4/projects/<slug, / as %2F>/repository/archive.tar.gz?sha=<ref>,
		// the ref refs/tags/T for a tag.
		what: "GitLab archive", anyHost: isGitLab,
		re: regexp.MustCompile(`^/api/v4/projects/([^/]+)/repository/archive\.(?:tar\.gz|zip|tar\.bz2)$`),
		ref: func(u *url.URL, m []string) forgeRef {
			ref := u.Query().Get("sha")
			ref = strings.TrimPrefix(ref, "refs/tags/")
			return forgeRef{repo: "/" + unescape(m[1]), tag: ref}
		},
	},
	{
		// GitLab's own archive links: /GROUP/REPO/-/archive/REF/REPO-REF.tar.gz.
		what: "GitLab archive", anyHost: isGitLab,
		re: regexp.MustCompile(`^/(.+?)/-/archive/([^/]+)/[^/]+$`),
		ref: func(_ *url.URL, m []string) forgeRef {
			return forgeRef{repo: "/" + m[1], tag: strings.TrimPrefix(unescape(m[2]), "refs/tags/")}
		},
	},
	{
		// fetchFromGitea / fetchFromCodeberg (fetchFromGitHub with another
		// githubBase: /O/R/archive/refs/tags/T.tar.gz) and fetchFromForgejo
		// (pkgs/build-support/fetchforgejo, l.111: /O/R/archive/T.tar.gz).
		what: "Gitea or Forgejo archive", anyHost: isGitea,
		re: regexp.MustCompile(`^/([^/]+)/([^/]+)/archive/(refs/tags/)?(.+?)\.(?:tar\.gz|zip)$`),
		ref: func(_ *url.URL, m []string) forgeRef {
			return forgeRef{repo: "/" + m[1] + "/" + m[2], tag: unescape(m[4])}
		},
	},
	{
		// fetchFromSourcehut (pkgs/build-support/fetchsourcehut, l.80):
		// https://git.sr.ht/~O/R/archive/REF.tar.gz.
		what: "SourceHut archive", host: "git.sr.ht",
		re: regexp.MustCompile(`^/(~[^/]+)/([^/]+)/archive/(.+?)\.tar\.gz$`),
		ref: func(_ *url.URL, m []string) forgeRef {
			return forgeRef{repo: "/" + m[1] + "/" + m[2], tag: unescape(m[3])}
		},
	},
	{
		// A cgit snapshot: .../REPO.git/snapshot/NAME-REF.tar.gz, as
		// nixpkgs' keyutils (git.kernel.org) and fetchFromSavannah
		// (pkgs/build-support/fetchsavannah, l.18) fetch. cgit takes the
		// name's version part as the ref (a tag, or a commit).
		what: "cgit snapshot", anyHost: func(string) bool { return true },
		re: regexp.MustCompile(`^(.*?/([^/]+?)(?:\.git)?)/snapshot/([^/]+)$`),
		ref: func(u *url.URL, m []string) forgeRef {
			name := archiveExt.ReplaceAllString(m[3], "")
			ref := strings.TrimPrefix(name, m[2]+"-")
			repo := strings.TrimPrefix(m[1], "/cgit")
			if !strings.HasSuffix(repo, ".git") {
				repo += ".git"
			}
			if strings.EqualFold(u.Host, "git.savannah.gnu.org") {
				repo = "/git" + strings.TrimPrefix(repo, "/git")
			}
			return forgeRef{repo: repo, tag: unescape(ref)}
		},
	},
}

// isGitLab says whether host is a GitLab: gitlab.com, or a host whose name
// says it (gitlab.gnome.org, gitlab.freedesktop.org, gitlab.inria.fr), as
// osv.dev recognises them (vulnfeeds/conversion/versions.go).
func isGitLab(host string) bool {
	return host == "gitlab.com" || strings.HasPrefix(host, "gitlab.") || strings.Contains(host, ".gitlab.")
}

// isGitea says whether host is a Gitea or Forgejo that nixpkgs fetches
// from: codeberg.org (fetchFromCodeberg), gitea.com, or a host named so.
func isGitea(host string) bool {
	return host == "codeberg.org" || host == "gitea.com" || strings.HasPrefix(host, "gitea.") || strings.HasPrefix(host, "forgejo.")
}
