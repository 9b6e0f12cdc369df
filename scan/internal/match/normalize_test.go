package match

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNormalizeRepo checks repository URLs as osv.dev normalises them
// (its own test cases, affected_versions_test.go TestNormalizeRepo), and
// the case folding of github.com, bitbucket.org and GitLab hosts.
func TestNormalizeRepo(t *testing.T) {
	tests := []struct{ in, want string }{
		// osv.dev's cases.
		{"http://git.musl-libc.org/git/musl", "git.musl-libc.org/git/musl"},
		{"https://git.musl-libc.org/git/musl", "git.musl-libc.org/git/musl"},
		{"git://git.musl-libc.org/git/musl", "git.musl-libc.org/git/musl"},
		{"https://github.com/user/repo/", "github.com/user/repo"},
		{"https://github.com/user/repo.git", "github.com/user/repo"},
		{"http://git.example.com/repo.git", "git.example.com/repo"},
		{"", ""},
		{"https://hostname", "hostname"},
		// Case: github.com, bitbucket.org and GitLab hosts ignore it,
		// other hosts only in the host name.
		{"https://github.com/PCRE2Project/pcre2", "github.com/pcre2project/pcre2"},
		{"https://GitHub.com/PCRE2Project/pcre2.git/", "github.com/pcre2project/pcre2"},
		{"https://gitlab.gnome.org/GNOME/libxml2", "gitlab.gnome.org/gnome/libxml2"},
		{"https://bitbucket.org/Owner/Repo", "bitbucket.org/owner/repo"},
		{"https://Sourceware.org/git/Glibc.git", "sourceware.org/git/Glibc"},
		// Without a scheme, as osv.dev's index holds them.
		{"github.com/curl/curl", "github.com/curl/curl"},
	}
	for _, tt := range tests {
		if got := normalizeRepo(tt.in); got != tt.want {
			t.Errorf("normalizeRepo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestStripRepoPrefix checks osv.dev's stripping of the repository's
// owner and name from a listed version.
func TestStripRepoPrefix(t *testing.T) {
	tests := []struct{ version, repo, want string }{
		{"curl-8_15_0", "https://github.com/curl/curl.git", "8_15_0"},
		{"pcre2-10.46", "https://github.com/PCRE2Project/pcre2", "10.46"},
		{"libssh2-1.11.1", "https://github.com/libssh2/libssh2.git", "1.11.1"},
		{"jq-1.8.1", "https://github.com/jqlang/jq", "1.8.1"},
		{"v1.5.0", "https://github.com/facebook/zstd", "v1.5.0"},
		// The version's case is kept: only a lower-case name goes.
		{"OpenSSL_1_1_1w", "https://github.com/openssl/openssl.git", "OpenSSL_1_1_1w"},
		{"glibc-2.42", "https://sourceware.org/git/glibc.git", "2.42"},
		{"8.9.0", "https://github.com/curl/curl", "8.9.0"},
	}
	for _, tt := range tests {
		if got := stripRepoPrefix(tt.version, tt.repo); got != tt.want {
			t.Errorf("stripRepoPrefix(%q, %q) = %q, want %q", tt.version, tt.repo, got, tt.want)
		}
	}
}

// TestRelease checks release keys: a name before the release goes,
// letters and pre-release words stay, trailing zeros go.
func TestRelease(t *testing.T) {
	tests := []struct{ in, want string }{
		{"8.15.0", "8.15"},
		{"8_15_0", "8.15"},
		{"v1.5.0", "1.5"},
		{"SUDO_1_9_17p2", "1.9.17.p.2"},
		{"v1.9.17p2", "1.9.17.p.2"},
		{"1.9.17p2", "1.9.17.p.2"},
		{"OpenSSL_1_1_1w", "1.1.1.w"},
		{"1.1.1", "1.1.1"},
		{"rc-8_15_0-2", "rc.8.15.0.2"},
		{"10.45-RC1", "10.45.rc.1"},
		{"jq-1.8.2rc1", "1.8.2.rc.1"},
		{"release-77-1", "77.1"},
		{"2.42-67", "2.42.67"},
		{"5.2p15", "5.2.p.15"},
		{"1.2.13.dfsg", "1.2.13.dfsg"},
		{"gopls/v0.23.0", "0.23"},
		{"jdk-21.0.10+7", "21.0.10.7"},
		{"12.0", "12"},
		{"0", "0"},
		{"last-cvs-commit", ""},
	}
	for _, tt := range tests {
		if got := release(tt.in); got != tt.want {
			t.Errorf("release(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSameRelease checks which listed versions name a source's tag or a
// package's version: research §6.4's table, with the false positives of
// osv.dev's normalizeTag (letters dropped) rejected.
func TestSameRelease(t *testing.T) {
	tests := []struct {
		listed, repo, query string
		want                bool
	}{
		{"curl-8_15_0", "https://github.com/curl/curl.git", "8.15.0", true},
		{"8.9.0", "https://github.com/curl/curl", "curl-8_9_0", true},
		{"rc-8_15_0-2", "https://github.com/curl/curl.git", "8.15.0", false},
		{"jq-1.8.1", "https://github.com/jqlang/jq", "1.8.1", true},
		{"jq-1.8.2rc1", "https://github.com/jqlang/jq", "1.8.2", false},
		{"libssh2-1.11.1", "https://github.com/libssh2/libssh2.git", "1.11.1", true},
		{"v1.5.0", "https://github.com/facebook/zstd", "1.5.0", true},
		{"v1.5.0", "https://github.com/facebook/zstd", "1.5.1", false},
		{"pcre2-10.46", "https://github.com/PCRE2Project/pcre2", "10.46", true},
		{"pcre2-10.45-RC1", "https://github.com/PCRE2Project/pcre2", "10.45", false},
		{"SUDO_1_9_17p2", "https://github.com/sudo-project/sudo", "1.9.17p2", true},
		{"v1.9.17p2", "https://github.com/sudo-project/sudo", "SUDO_1_9_17p2", true},
		{"v1.9.17", "https://github.com/sudo-project/sudo", "1.9.17p2", false},
		{"openssl-3.5.5", "https://github.com/openssl/openssl", "3.5.5", true},
		// osv.dev's normalizeTag makes both "1-1-1": not here.
		{"OpenSSL_1_1_1w", "https://github.com/openssl/openssl.git", "1.1.1", false},
		{"OpenSSL_1_1_1w", "https://github.com/openssl/openssl.git", "1.1.1w", true},
		{"OpenSSL_1_1_1-pre1", "https://github.com/openssl/openssl.git", "1.1.1", false},
		{"v3.12.13", "https://github.com/python/cpython", "3.12.13", true},
		{"version-3.53.1", "https://github.com/sqlite/sqlite", "3.53.1", true},
		{"R_2_8_2", "https://github.com/libexpat/libexpat", "2.8.2", true},
		{"release-78.1", "https://github.com/unicode-org/icu", "78.1", true},
		// nixpkgs' patch levels are not the release.
		{"glibc-2.42", "https://sourceware.org/git/glibc.git", "2.42-67", false},
		{"bash-5.2", "https://git.savannah.gnu.org/git/bash.git", "5.2p15", false},
		// A trailing zero is not significant.
		{"v8.14.0", "https://github.com/gradle/gradle", "8.14", true},
		// Nothing matches by a digit-free string.
		{"last-cvs-commit", "https://example.org/x.git", "last-cvs-commit", false},
	}
	for _, tt := range tests {
		if got := sameRelease(tt.listed, tt.repo, tt.query); got != tt.want {
			t.Errorf("sameRelease(%q, %q, %q) = %v, want %v", tt.listed, tt.repo, tt.query, got, tt.want)
		}
	}
}

// TestRuns checks the split into runs of digits and letters.
func TestRuns(t *testing.T) {
	if diff := cmp.Diff([]string{"1", "9", "17", "p", "2"}, runs("1.9.17p2")); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
}
