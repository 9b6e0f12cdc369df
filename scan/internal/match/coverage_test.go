package match_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/scan/internal/match"
)

// TestKeyOf checks what each shape of source the SBOM gives is matched
// by, or why it cannot be: one case per coverage case.
func TestKeyOf(t *testing.T) {
	const (
		commit = "0123456789abcdef0123456789abcdef01234567"
		libssh = "https://github.com/libssh2/libssh2"
	)
	withPURL := func(c sbom.Component, purl string) sbom.Component { c.PURL = purl; return c }
	fallback := component("glibc-locales", "2.42-67", nil)
	fallback.Fallback = true
	tests := []struct {
		name   string
		c      sbom.Component
		online bool
		want   match.Key
	}{{
		name: "fetcher's tag (fetchFromGitHub)",
		c: component("zstd", "1.5.7", &nix.Source{Fetcher: "fetchFromGitHub", Repository: "https://github.com/facebook/zstd", Tag: "v1.5.7",
			URLs: []string{"https://github.com/facebook/zstd/archive/refs/tags/v1.5.7.tar.gz"}}),
		want: match.Key{Kind: match.KeyTag, Repository: "https://github.com/facebook/zstd", Tag: "v1.5.7"},
	}, {
		name: "a URL rule's tag (mirror://gnu)",
		c: component("gnused", "4.9", &nix.Source{Fetcher: "fetchurl", Rule: "gnu", Repository: "https://git.savannah.gnu.org/git/sed.git", Tag: "v4.9",
			URLs: []string{"mirror://gnu/sed/sed-4.9.tar.xz"}}),
		want: match.Key{Kind: match.KeyRule, Repository: "https://git.savannah.gnu.org/git/sed.git", Tag: "v4.9", Rule: "gnu"},
	}, {
		name: "nixpkgs' github purl, the source naming no repository",
		c: withPURL(component("jq", "1.8.2", &nix.Source{Fetcher: "fetchurl", URLs: []string{"https://example.org/jq-1.8.2.tar.gz"}, Note: "no rule"}),
			"pkg:github/jqlang/jq@jq-1.8.2"),
		want: match.Key{Kind: match.KeyPURL, Repository: "https://github.com/jqlang/jq", Tag: "jq-1.8.2"},
	}, {
		name: "the source's tag wins over the purl",
		c: withPURL(component("jq", "1.8.2", &nix.Source{Fetcher: "fetchurl", Repository: "https://github.com/jqlang/jq", Tag: "jq-1.8.2"}),
			"pkg:github/jqlang/jq@jq-1.8.1"),
		want: match.Key{Kind: match.KeyTag, Repository: "https://github.com/jqlang/jq", Tag: "jq-1.8.2"},
	}, {
		name: "a repository and no tag: by version",
		c:    component("foo", "1.0", &nix.Source{Fetcher: "fetchgit", Repository: "https://example.org/foo.git"}),
		want: match.Key{Kind: match.KeyVersion, Repository: "https://example.org/foo.git"},
	}, {
		name: "a commit offline, with the SBOM's note",
		c: component("libssh2", "1.11.1-unstable-2026-06-30", &nix.Source{Fetcher: "fetchurl", Repository: libssh, Commit: commit,
			Note: "a GitHub archive of a commit"}),
		want: match.Key{Repository: libssh, Commit: commit, Reason: "a GitHub archive of a commit (commit " + commit + "); --online asks osv.dev by commit"},
	}, {
		name:   "a commit online",
		c:      component("libssh2", "1.11.1-unstable-2026-06-30", &nix.Source{Fetcher: "fetchgit", Repository: libssh, Commit: commit}),
		online: true,
		want:   match.Key{Kind: match.KeyCommit, Repository: libssh, Commit: commit},
	}, {
		name: "a purl naming a commit",
		c:    withPURL(component("libssh2", "1.11.1-unstable-2026-06-30", nil), "pkg:github/libssh2/libssh2@"+commit),
		want: match.Key{Repository: libssh, Commit: commit, Reason: "its source is commit " + commit +
			" and names no tag: OSV's offline records list tags and releases; --online asks osv.dev by commit"},
	}, {
		name: "no derivation made the path",
		c:    fallback,
		want: match.Key{Reason: "no derivation made this path: nothing says what source it was built from"},
	}, {
		name: "a derivation with no source (buildEnv)",
		c:    component("python3-env", "", nil),
		want: match.Key{Reason: "its derivation has no source"},
	}, {
		name: "a derivation with no source, and the SBOM says why",
		c:    component("python3-env", "", &nix.Source{Note: "no src: built from its inputs alone (a wrapper, an environment or generated files)"}),
		want: match.Key{Reason: "no src: built from its inputs alone (a wrapper, an environment or generated files)"},
	}, {
		name: "no repository, and the SBOM says why",
		c: component("coreutils", "9.5", &nix.Source{Fetcher: "fetchurl", URLs: []string{"mirror://gnu/coreutils/coreutils-9.5.tar.xz"},
			Note: "mirror://gnu: no URL rule names its repository"}),
		want: match.Key{Reason: "mirror://gnu: no URL rule names its repository"},
	}, {
		name: "no repository, and no note",
		c:    component("libedit", "20260508-3.1", &nix.Source{Fetcher: "fetchurl", URLs: []string{"https://thrysoee.dk/editline/libedit-20260508-3.1.tar.gz"}}),
		want: match.Key{Reason: "its source names no repository: https://thrysoee.dk/editline/libedit-20260508-3.1.tar.gz"},
	}, {
		name: "a tag and no repository",
		c:    component("foo", "1.0", &nix.Source{Fetcher: "fetchurl", Tag: "v1.0"}),
		want: match.Key{Tag: "v1.0", Reason: "its source names tag v1.0 but no repository"},
	}, {
		name: "a repository, no tag and no version",
		c:    component("foo", "", &nix.Source{Fetcher: "fetchgit", Repository: "https://example.org/foo.git"}),
		want: match.Key{Repository: "https://example.org/foo.git", Reason: "its source names repository https://example.org/foo.git but no tag, commit or version"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, match.KeyOf(tt.c, tt.online)); diff != "" {
				t.Errorf("KeyOf (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCoverageOf checks N and M: every component counts in M, the
// matchable ones in N, by key; online makes a commit matchable.
func TestCoverageOf(t *testing.T) {
	doc := &sbom.Document{Meta: sbom.Meta{Kind: "runtime", Epoch: time.Unix(1, 0)}, Components: []sbom.Component{
		component("curl", "8.15.0", curlSource("curl-8_15_0")),
		component("gzip", "1.14", &nix.Source{Fetcher: "fetchurl", Rule: "gnu", Repository: "https://git.savannah.gnu.org/git/gzip.git", Tag: "v1.14"}),
		component("libssh2", "1.11.1-unstable-2026-06-30", &nix.Source{Fetcher: "fetchurl", Repository: "https://github.com/libssh2/libssh2",
			Commit: "0123456789abcdef0123456789abcdef01234567"}),
		component("python3-env", "", nil),
	}}
	for _, tt := range []struct {
		online  bool
		summary string
		missing int
	}{
		{false, "2 of 4 Nix packages have a matchable source (tag 1, rule 1)", 2},
		{true, "3 of 4 Nix packages have a matchable source (tag 1, rule 1, commit 1)", 1},
	} {
		cov := match.CoverageOf(doc, tt.online)
		if got := cov.Summary(); got != tt.summary {
			t.Errorf("online %v: %q, want %q", tt.online, got, tt.summary)
		}
		if len(cov.Packages) != len(doc.Components) || len(cov.Unmatchable()) != tt.missing {
			t.Errorf("online %v: %d packages, %d unmatchable; want %d and %d", tt.online, len(cov.Packages), len(cov.Unmatchable()), len(doc.Components), tt.missing)
		}
		for i, p := range cov.Packages {
			if p.StorePath != doc.Components[i].Path || p.Matchable() == (p.Reason != "") {
				t.Errorf("online %v: package %d: %+v", tt.online, i, p)
			}
		}
	}
}
