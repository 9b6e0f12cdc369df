package nix

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fetch is a fetcher's derivation as show-derivation gives it: flat env,
// or, with structured set, the attributes in __json. Every fetch is
// fixed-output.
func fetch(env map[string]any, structured bool) Derivation {
	env["outputHash"] = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	d := Derivation{Name: "source", Env: map[string]string{"out": "/nix/store/" + hashB + "-source"}}
	if structured {
		data, _ := json.Marshal(env)
		d.Env["__json"] = string(data)
		return d
	}
	for k, v := range env {
		switch x := v.(type) {
		case string:
			d.Env[k] = x
		case bool:
			d.Env[k] = map[bool]string{true: "1", false: ""}[x]
		case []string:
			d.Env[k] = strings.Join(x, " ")
		}
	}
	return d
}

// TestFetched checks what each of nixpkgs' fetchers leaves in its
// derivation (the shapes of pkgs/build-support, as the comment of
// source.go lists them), and what nixlayer reads of it.
func TestFetched(t *testing.T) {
	const commit = "6dc44da80e4ae2adfb188c1eefc5578c7bec0e67"
	tests := []struct {
		name       string
		env        map[string]any
		structured bool
		want       Source
	}{
		{"fetchurl of a GitHub release asset and a vendor site (curl)",
			map[string]any{"urls": []string{"https://curl.haxx.se/download/curl-8.20.0.tar.xz", "https://github.com/curl/curl/releases/download/curl-8_20_0/curl-8.20.0.tar.xz"}, "name": "curl-8.20.0.tar.xz"}, false,
			Source{URLs: []string{"https://curl.haxx.se/download/curl-8.20.0.tar.xz", "https://github.com/curl/curl/releases/download/curl-8_20_0/curl-8.20.0.tar.xz"},
				Repository: "https://github.com/curl/curl", Tag: "curl-8_20_0", Fetcher: "fetchurl", Rule: "GitHub release asset"}},
		{"fetchurl of a GNU mirror (coreutils)",
			map[string]any{"urls": []string{"mirror://gnu/coreutils/coreutils-9.5.tar.xz"}}, false,
			Source{URLs: []string{"mirror://gnu/coreutils/coreutils-9.5.tar.xz"}, Repository: "https://git.savannah.gnu.org/git/coreutils.git", Tag: "v9.5", Fetcher: "fetchurl", Rule: "gnu"}},
		{"fetchurl, structured (fetchurl's opt-in)",
			map[string]any{"urls": []string{"https://www.python.org/ftp/python/3.12.13/Python-3.12.13.tar.xz"}}, true,
			Source{URLs: []string{"https://www.python.org/ftp/python/3.12.13/Python-3.12.13.tar.xz"}, Repository: "https://github.com/python/cpython", Tag: "v3.12.13", Fetcher: "fetchurl", Rule: "python.org"}},
		{"fetchFromGitHub with a tag (shadow)",
			map[string]any{"urls": []string{"https://github.com/shadow-maint/shadow/archive/refs/tags/4.19.3.tar.gz"}, "extension": "tar.gz", "stripRoot": true,
				"owner": "shadow-maint", "repo": "shadow", "githubBase": "github.com", "tag": "4.19.3", "rev": "refs/tags/4.19.3"}, false,
			Source{URLs: []string{"https://github.com/shadow-maint/shadow/archive/refs/tags/4.19.3.tar.gz"}, Repository: "https://github.com/shadow-maint/shadow", Tag: "4.19.3", Fetcher: "fetchFromGitHub"}},
		{"fetchFromGitHub with a tag name as rev (fd)",
			map[string]any{"urls": []string{"https://github.com/sharkdp/fd/archive/v10.3.0.tar.gz"}, "extension": "tar.gz",
				"owner": "sharkdp", "repo": "fd", "githubBase": "github.com", "rev": "v10.3.0", "revCustom": "v10.3.0"}, false,
			Source{URLs: []string{"https://github.com/sharkdp/fd/archive/v10.3.0.tar.gz"}, Repository: "https://github.com/sharkdp/fd", Tag: "v10.3.0", Fetcher: "fetchFromGitHub"}},
		{"fetchFromGitHub at a commit",
			map[string]any{"urls": []string{"https://github.com/NixOS/nix/archive/" + commit + ".tar.gz"}, "extension": "tar.gz",
				"owner": "NixOS", "repo": "nix", "githubBase": "github.com", "rev": commit, "revCustom": commit}, false,
			Source{URLs: []string{"https://github.com/NixOS/nix/archive/" + commit + ".tar.gz"}, Repository: "https://github.com/NixOS/nix", Commit: commit, Fetcher: "fetchFromGitHub",
				Note: "a commit with no tag: offline matching needs a tag or a release version"}},
		{"fetchFromGitHub with submodules: fetchgit, structured",
			map[string]any{"url": "https://github.com/openjdk/jdk21u.git", "rev": "refs/tags/jdk-21.0.10+7", "fetchSubmodules": true, "leaveDotGit": false,
				"owner": "openjdk", "repo": "jdk21u", "githubBase": "github.com"}, true,
			Source{URLs: []string{"https://github.com/openjdk/jdk21u.git"}, Repository: "https://github.com/openjdk/jdk21u", Tag: "jdk-21.0.10+7", Fetcher: "fetchFromGitHub"}},
		{"fetchgit with a tag, structured",
			map[string]any{"url": "https://git.kernel.org/pub/scm/utils/util-linux/util-linux.git", "rev": "refs/tags/v2.42.2", "tag": "v2.42.2", "fetchSubmodules": true}, true,
			Source{URLs: []string{"https://git.kernel.org/pub/scm/utils/util-linux/util-linux.git"}, Repository: "https://git.kernel.org/pub/scm/utils/util-linux/util-linux", Tag: "v2.42.2", Fetcher: "fetchgit"}},
		{"fetchgit at a commit, structured",
			map[string]any{"url": "https://git.savannah.gnu.org/git/grep.git", "rev": commit, "revCustom": commit}, true,
			Source{URLs: []string{"https://git.savannah.gnu.org/git/grep.git"}, Repository: "https://git.savannah.gnu.org/git/grep", Commit: commit, Fetcher: "fetchgit",
				Note: "a commit with no tag: offline matching needs a tag or a release version"}},
		{"fetchFromGitLab (libxml2)",
			map[string]any{"urls": []string{"https://gitlab.gnome.org/api/v4/projects/GNOME%2Flibxml2/repository/archive.tar.gz?sha=refs%2Ftags%2Fv2.15.3"}, "extension": "tar.gz"}, false,
			Source{URLs: []string{"https://gitlab.gnome.org/api/v4/projects/GNOME%2Flibxml2/repository/archive.tar.gz?sha=refs%2Ftags%2Fv2.15.3"},
				Repository: "https://gitlab.gnome.org/GNOME/libxml2", Tag: "v2.15.3", Fetcher: "fetchFromGitLab", Rule: "GitLab archive"}},
		{"fetchFromCodeberg",
			map[string]any{"urls": []string{"https://codeberg.org/dnkl/foot/archive/refs/tags/1.20.2.tar.gz"}, "extension": "tar.gz",
				"owner": "dnkl", "repo": "foot", "githubBase": "codeberg.org", "tag": "1.20.2", "rev": "refs/tags/1.20.2"}, false,
			Source{URLs: []string{"https://codeberg.org/dnkl/foot/archive/refs/tags/1.20.2.tar.gz"}, Repository: "https://codeberg.org/dnkl/foot", Tag: "1.20.2", Fetcher: "fetchFromGitea"}},
		{"fetchFromSourcehut",
			map[string]any{"urls": []string{"https://git.sr.ht/~sircmpwn/scdoc/archive/1.11.3.tar.gz"}, "extension": "tar.gz"}, false,
			Source{URLs: []string{"https://git.sr.ht/~sircmpwn/scdoc/archive/1.11.3.tar.gz"}, Repository: "https://git.sr.ht/~sircmpwn/scdoc", Tag: "1.11.3", Fetcher: "fetchFromSourcehut", Rule: "SourceHut archive"}},
		{"a cgit snapshot (keyutils)",
			map[string]any{"urls": []string{"https://git.kernel.org/pub/scm/linux/kernel/git/dhowells/keyutils.git/snapshot/keyutils-1.6.3.tar.gz"}}, false,
			Source{URLs: []string{"https://git.kernel.org/pub/scm/linux/kernel/git/dhowells/keyutils.git/snapshot/keyutils-1.6.3.tar.gz"},
				Repository: "https://git.kernel.org/pub/scm/linux/kernel/git/dhowells/keyutils.git", Tag: "1.6.3", Fetcher: "fetchurl", Rule: "cgit snapshot"}},
		{"a commit snapshot by fetchurl (libssh2)",
			map[string]any{"urls": []string{"https://github.com/libssh2/libssh2/archive/" + commit + ".tar.gz"}, "name": "1.11.1-unstable-2026-06-30"}, false,
			Source{URLs: []string{"https://github.com/libssh2/libssh2/archive/" + commit + ".tar.gz"}, Repository: "https://github.com/libssh2/libssh2", Commit: commit,
				Fetcher: "fetchurl", Rule: "GitHub archive", Note: "a commit with no tag: offline matching needs a tag or a release version"}},
		{"a vendor site no rule knows (libedit)",
			map[string]any{"urls": []string{"https://thrysoee.dk/editline/libedit-20260508-3.1.tar.gz"}}, false,
			Source{URLs: []string{"https://thrysoee.dk/editline/libedit-20260508-3.1.tar.gz"}, Fetcher: "fetchurl",
				Note: "no rule names the repository of https://thrysoee.dk/editline/libedit-20260508-3.1.tar.gz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Source
			fetched(&got, fetch(tt.env, tt.structured))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSourceFollowsCopies checks that a package whose src is a copy of
// the fetch (a patched source, as the components of nixpkgs' nix have, or
// a filtered one) gets the fetch's facts, and says what it went through;
// and that a package with no src, or a src no fetcher made, says so.
func TestSourceFollowsCopies(t *testing.T) {
	out := func(h, name string) string { return "/nix/store/" + strings.Repeat(h, 32) + "-" + name }
	fetchOut, patchedOut, pkgOut := out("a", "source"), out("b", "source-patched"), out("c", "nix-util-2.34.8")
	f := fetch(map[string]any{"urls": []string{"https://github.com/NixOS/nix/archive/refs/tags/2.34.8.tar.gz"}, "extension": "tar.gz",
		"owner": "NixOS", "repo": "nix", "githubBase": "github.com", "tag": "2.34.8", "rev": "refs/tags/2.34.8"}, false)
	f.Path, f.Outputs = "/nix/store/"+strings.Repeat("a", 32)+"-source.drv", map[string]string{"out": fetchOut}
	patched := Derivation{Path: "/nix/store/" + strings.Repeat("b", 32) + "-source-patched.drv", Name: "source-patched",
		Outputs: map[string]string{"out": patchedOut}, Env: map[string]string{"src": fetchOut, "patches": out("d", "fix.patch")}}
	pkg := Derivation{Path: "/nix/store/" + strings.Repeat("c", 32) + "-nix-util-2.34.8.drv", Name: "nix-util-2.34.8",
		Outputs: map[string]string{"out": pkgOut}}
	pkgJSON, _ := json.Marshal(map[string]any{"pname": "nix-util", "version": "2.34.8", "src": patchedOut, "patches": []string{}})
	pkg.Env = map[string]string{"__json": string(pkgJSON), "out": pkgOut}
	g := newDrvGraph(map[string]Derivation{f.Path: f, patched.Path: patched, pkg.Path: pkg})
	got := g.facts(pkgOut, pkg, "out")
	want := Facts{Path: pkgOut, Deriver: pkg.Path, Output: "out", Name: "nix-util-2.34.8", Pname: "nix-util", Version: "2.34.8",
		Source: &Source{Path: patchedOut, URLs: []string{"https://github.com/NixOS/nix/archive/refs/tags/2.34.8.tar.gz"},
			Repository: "https://github.com/NixOS/nix", Tag: "2.34.8", Fetcher: "fetchFromGitHub", Via: []string{"source-patched"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a structured package built from a patched copy (-want +got):\n%s", diff)
	}

	wrapper := Derivation{Path: "/nix/store/" + strings.Repeat("e", 32) + "-gradle-8.14.drv", Name: "gradle-8.14", Env: map[string]string{}}
	if got := g.facts(out("e", "gradle-8.14"), wrapper, "out").Source; got == nil || !strings.HasPrefix(got.Note, "no src") {
		t.Errorf("a wrapper: source %+v, want a note that it has no src", got)
	}
	local := Derivation{Path: "/nix/store/" + strings.Repeat("f", 32) + "-hello.drv", Name: "hello", Env: map[string]string{"src": out("f", "hello-src")}}
	if got := g.facts(out("0", "hello"), local, "out").Source; got == nil || !strings.Contains(got.Note, "no fetcher made") {
		t.Errorf("a src of nixpkgs itself: source %+v, want a note that no fetcher made it", got)
	}
}

// TestRules checks each rule with a URL nixpkgs fetches (the package's
// file in the comment), and that a rule matches no other project.
func TestRules(t *testing.T) {
	tests := []struct{ url, repo, tag, rule string }{
		{"mirror://gnu/coreutils/coreutils-9.11.tar.xz", "https://git.savannah.gnu.org/git/coreutils.git", "v9.11", "gnu"},     // coreutils
		{"mirror://gnu/findutils/findutils-4.10.0.tar.xz", "https://git.savannah.gnu.org/git/findutils.git", "v4.10.0", "gnu"}, // findutils
		{"mirror://gnu/grep/grep-3.12.tar.xz", "https://git.savannah.gnu.org/git/grep.git", "v3.12", "gnu"},                    // gnugrep
		{"mirror://gnu/sed/sed-4.10.tar.xz", "https://git.savannah.gnu.org/git/sed.git", "v4.10", "gnu"},                       // gnused
		{"mirror://gnu/tar/tar-1.35.tar.xz", "https://git.savannah.gnu.org/git/tar.git", "release_1_35", "gnu"},                // gnutar
		{"mirror://gnu/gzip/gzip-1.14.tar.xz", "https://git.savannah.gnu.org/git/gzip.git", "v1.14", "gnu"},                    // gzip
		{"mirror://gnu/bash/bash-5.3.tar.gz", "https://git.savannah.gnu.org/git/bash.git", "bash-5.3", "gnu"},                  // bash
		{"mirror://gnu/readline/readline-8.3.tar.gz", "https://git.savannah.gnu.org/git/readline.git", "readline-8.3", "gnu"},  // readline
		{"mirror://gnu/gettext/gettext-1.0.tar.gz", "https://git.savannah.gnu.org/git/gettext.git", "v1.0", "gnu"},             // gettext
		{"mirror://gnu/libunistring/libunistring-1.4.2.tar.gz", "https://git.savannah.gnu.org/git/libunistring.git", "v1.4.2", "gnu"},
		{"mirror://gnu/gdbm/gdbm-1.26.tar.gz", "https://git.gnu.org.ua/gdbm.git", "v1.26", "gnu"},
		{"mirror://gnu/glibc/glibc-2.42.tar.xz", "https://sourceware.org/git/glibc.git", "glibc-2.42", "gnu"},
		{"https://ftp.gnu.org/gnu/libidn/libidn2-2.3.8.tar.gz", "https://gitlab.com/libidn/libidn2", "v2.3.8", "gnu"},
		{"mirror://gnu/mpfr/mpfr-4.2.2.tar.xz", "https://gitlab.inria.fr/mpfr/mpfr", "4.2.2", "gnu"},
		{"mirror://gnu/libtasn1/libtasn1-4.19.0.tar.gz", "https://gitlab.com/gnutls/libtasn1", "v4.19.0", "gnu"},
		{"mirror://gcc/releases/gcc-15.2.0/gcc-15.2.0.tar.xz", "https://gcc.gnu.org/git/gcc.git", "releases/gcc-15.2.0", "gcc"},
		{"mirror://savannah/acl/acl-2.3.1.tar.gz", "https://git.savannah.nongnu.org/git/acl.git", "v2.3.1", "savannah"},
		{"mirror://savannah/attr/attr-2.5.2.tar.gz", "https://git.savannah.nongnu.org/git/attr.git", "v2.5.2", "savannah"},
		{"mirror://kernel/linux/utils/util-linux/v2.42/util-linux-2.42.2.tar.xz", "https://git.kernel.org/pub/scm/utils/util-linux/util-linux.git", "v2.42.2", "kernel.org"},
		{"mirror://kernel/linux/kernel/people/tytso/e2fsprogs/v1.47.4/e2fsprogs-1.47.4.tar.xz", "https://git.kernel.org/pub/scm/fs/ext2/e2fsprogs.git", "v1.47.4", "kernel.org"},
		{"mirror://kernel/linux/libs/security/linux-privs/libcap2/libcap-2.78.tar.xz", "https://git.kernel.org/pub/scm/libs/libcap/libcap.git", "libcap-2.78", "kernel.org"},
		{"https://www.kernel.org/pub/software/scm/git/git-2.56.0.tar.xz", "https://github.com/git/git", "v2.56.0", "git"},
		{"mirror://sourceforge/procps-ng/procps-ng-4.0.6.tar.xz", "https://gitlab.com/procps-ng/procps", "v4.0.6", "sourceforge"},
		{"mirror://sourceforge/boost/boost_1_89_0.tar.bz2", "https://github.com/boostorg/boost", "boost-1_89_0", "sourceforge"},
		{"mirror://sourceforge/tcl/tcl8.6.16-src.tar.gz", "https://github.com/tcltk/tcl", "core-8-6-16", "sourceforge"},
		{"mirror://hackage/ShellCheck-0.11.0.tar.gz", "https://github.com/koalaman/shellcheck", "v0.11.0", "hackage"},
		{"mirror://apache/maven/maven-3/3.9.16/binaries/apache-maven-3.9.16-bin.tar.gz", "https://github.com/apache/maven", "maven-3.9.16", "apache"},
		{"https://www.python.org/ftp/python/3.12.13/Python-3.12.13.tar.xz", "https://github.com/python/cpython", "v3.12.13", "python.org"},
		{"https://nodejs.org/dist/v22.23.1/node-v22.23.1.tar.xz", "https://github.com/nodejs/node", "v22.23.1", "nodejs.org"},
		{"https://www.sudo.ws/dist/sudo-1.9.17p2.tar.gz", "https://github.com/sudo-project/sudo", "SUDO_1_9_17p2", "sudo.ws"},
		{"https://sqlite.org/2026/sqlite-src-3530100.zip", "https://github.com/sqlite/sqlite", "version-3.53.1", "sqlite.org"},
		{"https://go.dev/dl/go1.26.4.src.tar.gz", "https://github.com/golang/go", "go1.26.4", "go.dev"},
		{"https://static.rust-lang.org/dist/rustc-1.96.1-src.tar.gz", "https://github.com/rust-lang/rust", "1.96.1", "rust-lang.org"},
		{"https://kerberos.org/dist/krb5/1.22/krb5-1.22.2.tar.gz", "https://github.com/krb5/krb5", "krb5-1.22.2-final", "kerberos.org"},
		{"https://curl.haxx.se/download/curl-8.20.0.tar.xz", "https://github.com/curl/curl", "curl-8_20_0", "curl.se"},
		{"https://www.zlib.net/fossils/zlib-1.3.2.tar.gz", "https://github.com/madler/zlib", "v1.3.2", "zlib.net"},
		{"https://invisible-island.net/archives/ncurses/ncurses-6.6.tar.gz", "https://github.com/ThomasDickey/ncurses-snapshots", "v6_6", "ncurses"},
		{"https://data.iana.org/time-zones/releases/tzdata2026b.tar.gz", "https://github.com/eggert/tz", "2026b", "iana.org"},
		{"https://services.gradle.org/distributions/gradle-8.14.4-bin.zip", "https://github.com/gradle/gradle", "v8.14.4", "gradle.org"},
		{"https://www.mpfr.org/mpfr-4.2.2/mpfr-4.2.2.tar.xz", "https://gitlab.inria.fr/mpfr/mpfr", "4.2.2", "mpfr.org"},
		{"https://hg-edge.mozilla.org/projects/nss/raw-file/NSS_3_125_RTM/lib/ckfw/builtins/certdata.txt", "https://github.com/nss-dev/nss", "NSS_3_125_RTM", "mozilla.org"},
		{"https://sourceware.org/pub/bzip2/bzip2-1.0.8.tar.gz", "https://sourceware.org/git/bzip2.git", "bzip2-1.0.8", "sourceware.org"},
		{"mirror://gnupg/gnutls/v3.7/gnutls-3.7.9.tar.xz", "https://gitlab.com/gnutls/gnutls", "3.7.9", "gnupg"},
		{"https://www.openldap.org/software/download/OpenLDAP/openldap-release/openldap-2.5.13.tgz", "https://git.openldap.org/openldap/openldap", "OPENLDAP_REL_ENG_2_5_13", "openldap.org"},
		{"https://download.libsodium.org/libsodium/releases/libsodium-1.0.18.tar.gz", "https://github.com/jedisct1/libsodium", "1.0.18-RELEASE", "libsodium.org"},
		{"https://people.redhat.com/sgrubb/libcap-ng/libcap-ng-0.8.3.tar.gz", "https://github.com/stevegrubb/libcap-ng", "v0.8.3", "redhat.com"},
		{"https://libbsd.freedesktop.org/releases/libbsd-0.11.7.tar.xz", "https://gitlab.freedesktop.org/libbsd/libbsd", "0.11.7", "freedesktop.org"},
		{"https://archive.hadrons.org/software/libmd/libmd-1.0.4.tar.xz", "https://git.hadrons.org/git/libmd.git", "1.0.4", "hadrons.org"},
		{"https://busybox.net/downloads/busybox-1.35.0.tar.bz2", "https://git.busybox.net/busybox", "1_35_0", "busybox.net"},
		{"http://git.linux-nfs.org/?p=steved/libtirpc.git;a=snapshot;h=refs/tags/libtirpc-1-3-3;sf=tgz", "git://git.linux-nfs.org/projects/steved/libtirpc.git", "libtirpc-1-3-3", "linux-nfs.org"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		repo, tag, rule, ok := ruleFor(tt.url)
		if !ok || repo != tt.repo || tag != tt.tag || rule != tt.rule {
			t.Errorf("%s: %q %q (rule %q, %v), want %q %q (rule %q)", tt.url, repo, tag, rule, ok, tt.repo, tt.tag, tt.rule)
		}
		seen[rule] = true
	}
	for _, r := range Rules {
		if !seen[r.Name] {
			t.Errorf("rule %s has no test", r.Name)
		}
	}
	for _, tt := range []struct{ url, why string }{
		{"mirror://gnu/gnucobol/gnucobol-3.2.tar.xz", "GnuCOBOL is developed in Subversion"},
		{"mirror://gnu/gmp/gmp-6.3.0.tar.bz2", "GMP is developed in Mercurial"},
		{"ftp://ftp.gmplib.org/pub/gmp-6.3.0/gmp-6.3.0.tar.bz2", "GMP is developed in Mercurial"},
		{"mirror://gnu/nettle/nettle-3.10.2.tar.gz", "Nettle's tags carry the release date"},
		{"https://download.oracle.com/berkeley-db/db-5.3.28.tar.gz", "Berkeley DB has no public repository"},
		{"https://example.org/download/curl-8.20.0.tar.xz", ""},
		{"mirror://sourceforge/unknown/unknown-1.0.tar.gz", ""},
	} {
		if repo, tag, rule, ok := ruleFor(tt.url); ok {
			t.Errorf("%s: rule %s gives %s %s, want no rule", tt.url, rule, repo, tag)
		}
		s := &Source{URLs: []string{tt.url}}
		s.Settle("", "")
		want := "no rule names the repository of " + tt.url
		if tt.why != "" {
			want = limitFor(tt.url)
			if !strings.HasPrefix(want, tt.why) {
				t.Errorf("%s: limit %q, want %q…", tt.url, want, tt.why)
			}
		}
		if s.Note != want {
			t.Errorf("%s: note %q, want %q", tt.url, s.Note, want)
		}
	}
}

// TestSettle completes sources as a fetch's arguments give them, and as
// the SBOM does from the plan when the derivations are missing.
func TestSettle(t *testing.T) {
	const commit = "7daee037d110bbdb003ea75ca68d357ffa9d8fa8"
	tests := []struct {
		name     string
		in       Source
		tag, rev string
		want     Source
	}{
		{"a tag given as rev", Source{Repository: "https://github.com/bats-core/bats-core"}, "", "v1.11.0",
			Source{Repository: "https://github.com/bats-core/bats-core", Tag: "v1.11.0"}},
		{"refs/tags/ of fetchFromGitHub's tag", Source{Repository: "https://github.com/linux-pam/linux-pam"}, "", "refs/tags/v1.7.2",
			Source{Repository: "https://github.com/linux-pam/linux-pam", Tag: "v1.7.2"}},
		{"a commit", Source{Repository: "https://github.com/libssh2/libssh2"}, "", strings.ToUpper(commit),
			Source{Repository: "https://github.com/libssh2/libssh2", Commit: commit, Note: "a commit with no tag: offline matching needs a tag or a release version"}},
		{"a rule from the URLs", Source{URLs: []string{"https://www.sudo.ws/dist/sudo-1.9.17p2.tar.gz"}}, "", "",
			Source{URLs: []string{"https://www.sudo.ws/dist/sudo-1.9.17p2.tar.gz"}, Repository: "https://github.com/sudo-project/sudo", Tag: "SUDO_1_9_17p2", Rule: "sudo.ws"}},
		{"facts kept, a stale note cleared", Source{Repository: "https://github.com/madler/zlib", Tag: "v1.3.1", Note: "old"}, "v1.3.2", "",
			Source{Repository: "https://github.com/madler/zlib", Tag: "v1.3.1"}},
		{"a rev without a repository is no tag", Source{}, "", "main",
			Source{Note: "a fixed-output derivation with no URL nixlayer reads"}},
	}
	for _, tt := range tests {
		got := tt.in
		got.Settle(tt.tag, tt.rev)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestAttrs checks reading a derivation's attributes in both shapes.
func TestAttrs(t *testing.T) {
	flatDrv := Derivation{Env: map[string]string{"pname": "xz", "patches": "/nix/store/a-x.patch /nix/store/b-y.patch", "doCheck": "1", "dontStrip": ""}}
	structured := Derivation{Env: map[string]string{"out": "/nix/store/x", "__json": `{"pname":"xz","patches":["/nix/store/a-x.patch","/nix/store/b-y.patch"],"doCheck":true,"dontStrip":false,"n":3,"nothing":null}`}}
	for name, d := range map[string]Derivation{"flat": flatDrv, "structured": structured} {
		if d.Attr("pname") != "xz" || d.Attr("doCheck") != "1" || d.Attr("dontStrip") != "" || d.Attr("missing") != "" {
			t.Errorf("%s: Attr gives %q %q %q", name, d.Attr("pname"), d.Attr("doCheck"), d.Attr("dontStrip"))
		}
		if diff := cmp.Diff([]string{"/nix/store/a-x.patch", "/nix/store/b-y.patch"}, d.Attrs("patches")); diff != "" {
			t.Errorf("%s: Attrs(patches) (-want +got):\n%s", name, diff)
		}
		if !d.Has("dontStrip") || d.Has("missing") {
			t.Errorf("%s: Has", name)
		}
	}
	if !structured.Structured() || flatDrv.Structured() || structured.Attr("n") != "3" || structured.Has("nothing") {
		t.Error("structured: Structured, a number or null")
	}
}
