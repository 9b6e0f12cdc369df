package nix

import (
	"regexp"
	"strconv"
	"strings"
)

// A Rule states facts about one project's releases: that a download URL
// of the shape Pattern is the release of the version it names, tagged in
// Repo as Tag says. nixpkgs fetches many sources from vendor sites and
// mirrors (mirror://gnu/…, python.org, sudo.ws), whose URLs name a
// version but no repository; a rule gives the repository and tag that OSV
// records name, so that those packages can be matched. A rule never
// matches by package name, and never makes a CPE: it reads the URL nixpkgs
// fetched.
type Rule struct {
	// Name names the rule in the SBOM (nix.Source.Rule).
	Name string
	// Pattern matches the URL as nixpkgs writes it, mirror:// kept; its
	// group v is the version, and its group p, when there is one, the
	// project, looked up in Projects.
	Pattern *regexp.Regexp
	// Repo and Tag are the repository and the tag of the version: Tag is
	// a template where {v} is the version, {v_} the version with dots as
	// underscores and {v-} with dots as dashes.
	Repo, Tag string
	// Projects, for a rule of a mirror that serves many projects (GNU's,
	// the kernel's), gives each project's repository and tag template;
	// a project missing from it has no rule.
	Projects map[string]Project
	// Version, when set, turns the URL's version into the release's, as
	// sqlite's 3530100 is 3.53.1.
	Version func(string) string
	// Docs says where the project documents or shows its tags.
	Docs string
}

// Project is one project of a mirror's rule.
type Project struct {
	Repo, Tag string
	Docs      string
}

// savannah is the git repository of a GNU project on Savannah.
func savannah(name string) string { return "https://git.savannah.gnu.org/git/" + name + ".git" }

// Rules are the rules nixlayer knows, for the sources of the built-in
// sets' closures in nixpkgs (the tag conventions were read from each
// project's tag list, named in Docs).
var Rules = []Rule{
	{
		Name:    "gnu",
		Pattern: regexp.MustCompile(`^(?:mirror://gnu|https?://ftp\.gnu\.org/gnu)/[^/]+/(?P<p>[a-z0-9]+)-(?P<v>[0-9][^/]*?)\.tar\.(?:gz|xz|bz2|lz)$`),
		Projects: map[string]Project{
			"coreutils":    {savannah("coreutils"), "v{v}", "https://git.savannah.gnu.org/cgit/coreutils.git/refs/tags"},
			"findutils":    {savannah("findutils"), "v{v}", "https://git.savannah.gnu.org/cgit/findutils.git/refs/tags"},
			"grep":         {savannah("grep"), "v{v}", "https://git.savannah.gnu.org/cgit/grep.git/refs/tags"},
			"sed":          {savannah("sed"), "v{v}", "https://git.savannah.gnu.org/cgit/sed.git/refs/tags"},
			"tar":          {savannah("tar"), "release_{v_}", "https://git.savannah.gnu.org/cgit/tar.git/refs/tags (release_1_35)"},
			"gzip":         {savannah("gzip"), "v{v}", "https://git.savannah.gnu.org/cgit/gzip.git/refs/tags"},
			"bash":         {savannah("bash"), "bash-{v}", "https://git.savannah.gnu.org/cgit/bash.git/refs/tags (bash-5.2; patch levels are commits)"},
			"readline":     {savannah("readline"), "readline-{v}", "https://git.savannah.gnu.org/cgit/readline.git/refs/tags"},
			"gettext":      {savannah("gettext"), "v{v}", "https://git.savannah.gnu.org/cgit/gettext.git/refs/tags"},
			"libunistring": {savannah("libunistring"), "v{v}", "https://git.savannah.gnu.org/cgit/libunistring.git/refs/tags"},
			"gdbm":         {"https://git.gnu.org.ua/gdbm.git", "v{v}", "https://git.gnu.org.ua/gdbm.git/refs/tags"},
			"glibc":        {"https://sourceware.org/git/glibc.git", "glibc-{v}", "https://sourceware.org/git/?p=glibc.git;a=tags"},
			"libidn2":      {"https://gitlab.com/libidn/libidn2", "v{v}", "https://gitlab.com/libidn/libidn2/-/tags"},
			"mpfr":         {"https://gitlab.inria.fr/mpfr/mpfr", "{v}", "https://gitlab.inria.fr/mpfr/mpfr/-/tags"},
			"libtasn1":     {"https://gitlab.com/gnutls/libtasn1", "v{v}", "https://gitlab.com/gnutls/libtasn1/-/tags"},
		},
	},
	{
		Name:    "gcc",
		Pattern: regexp.MustCompile(`^mirror://gcc/releases/gcc-[^/]+/gcc-(?P<v>[0-9][^/]*?)\.tar\.(?:gz|xz)$`),
		Repo:    "https://gcc.gnu.org/git/gcc.git", Tag: "releases/gcc-{v}",
		Docs: "https://gcc.gnu.org/git/?p=gcc.git;a=tags (releases/gcc-15.2.0)",
	},
	{
		Name:    "savannah",
		Pattern: regexp.MustCompile(`^mirror://savannah/[^/]+/(?P<p>[a-z0-9]+)-(?P<v>[0-9][^/]*?)\.tar\.(?:gz|xz)$`),
		Projects: map[string]Project{
			"acl":  {"https://git.savannah.nongnu.org/git/acl.git", "v{v}", "https://git.savannah.nongnu.org/cgit/acl.git/refs/tags"},
			"attr": {"https://git.savannah.nongnu.org/git/attr.git", "v{v}", "https://git.savannah.nongnu.org/cgit/attr.git/refs/tags"},
		},
	},
	{
		Name:    "kernel.org",
		Pattern: regexp.MustCompile(`^mirror://kernel/linux/.*/(?P<p>[a-z0-9-]+?)-(?P<v>[0-9][^/]*?)\.tar\.(?:gz|xz)$`),
		Projects: map[string]Project{
			"util-linux": {"https://git.kernel.org/pub/scm/utils/util-linux/util-linux.git", "v{v}", "nixpkgs' util-linux updater (rev-prefix v)"},
			"e2fsprogs":  {"https://git.kernel.org/pub/scm/fs/ext2/e2fsprogs.git", "v{v}", "https://git.kernel.org/pub/scm/fs/ext2/e2fsprogs.git/refs/"},
			"libcap":     {"https://git.kernel.org/pub/scm/libs/libcap/libcap.git", "libcap-{v}", "https://git.kernel.org/pub/scm/libs/libcap/libcap.git/refs/ (libcap-2.76)"},
		},
	},
	{
		Name:    "git",
		Pattern: regexp.MustCompile(`^https://(?:www\.|mirrors\.edge\.)?kernel\.org/pub/software/scm/git/git-(?P<v>[0-9][^/]*?)\.tar\.(?:gz|xz)$`),
		Repo:    "https://github.com/git/git", Tag: "v{v}",
		Docs: "https://github.com/git/git/tags (v2.47.1)",
	},
	{
		Name:    "sourceforge",
		Pattern: regexp.MustCompile(`^mirror://sourceforge/(?P<p>[a-z0-9-]+)/[^/]*?(?P<v>[0-9][0-9._]*[0-9])(?:-src)?\.(?:tar\.gz|tar\.xz|tar\.bz2)$`),
		Projects: map[string]Project{
			"procps-ng": {"https://gitlab.com/procps-ng/procps", "v{v}", "https://gitlab.com/procps-ng/procps/-/tags"},
			"boost":     {"https://github.com/boostorg/boost", "boost-{v}", "https://github.com/boostorg/boost/releases (boost-1.89.0)"},
			"tcl":       {"https://github.com/tcltk/tcl", "core-{v-}", "https://github.com/tcltk/tcl/tags (core-8-6-15)"},
		},
	},
	{
		Name:    "hackage",
		Pattern: regexp.MustCompile(`^mirror://hackage/ShellCheck-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://github.com/koalaman/shellcheck", Tag: "v{v}",
		Docs: "https://github.com/koalaman/shellcheck/tags (the Hackage version is the tag without v)",
	},
	{
		Name:    "apache",
		Pattern: regexp.MustCompile(`^mirror://apache/maven/maven-\d+/(?P<v>[0-9][^/]*)/binaries/apache-maven-[^/]+-bin\.tar\.gz$`),
		Repo:    "https://github.com/apache/maven", Tag: "maven-{v}",
		Docs: "https://github.com/apache/maven/tags (maven-3.9.9)",
	},
	{
		Name:    "python.org",
		Pattern: regexp.MustCompile(`^https://www\.python\.org/ftp/python/[^/]+/Python-(?P<v>[0-9][^/]*?)\.(?:tar\.xz|tgz|tar\.gz)$`),
		Repo:    "https://github.com/python/cpython", Tag: "v{v}",
		Docs: "https://github.com/python/cpython/tags (v3.12.13)",
	},
	{
		Name:    "nodejs.org",
		Pattern: regexp.MustCompile(`^https://nodejs\.org/(?:dist|download/rc)/v[^/]+/node-v(?P<v>[0-9][^/]*?)\.tar\.(?:xz|gz)$`),
		Repo:    "https://github.com/nodejs/node", Tag: "v{v}",
		Docs: "https://github.com/nodejs/node/tags (v22.23.1)",
	},
	{
		Name:    "sudo.ws",
		Pattern: regexp.MustCompile(`^https://www\.sudo\.ws/dist/sudo-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://github.com/sudo-project/sudo", Tag: "SUDO_{v_}",
		Docs: "https://github.com/sudo-project/sudo/tags (SUDO_1_9_16p2; newer releases also v1.9.17)",
	},
	{
		Name:    "sqlite.org",
		Pattern: regexp.MustCompile(`^https://(?:www\.)?sqlite\.org/\d{4}/sqlite-(?:src|autoconf)-(?P<v>\d{7})\.(?:zip|tar\.gz)$`),
		Repo:    "https://github.com/sqlite/sqlite", Tag: "version-{v}",
		Version: sqliteVersion,
		Docs:    "nixpkgs' sqlite updater (\"Expect tags like version-3.43.0\"); https://github.com/sqlite/sqlite/tags",
	},
	{
		Name:    "go.dev",
		Pattern: regexp.MustCompile(`^https://(?:go\.dev|dl\.google\.com/go)/(?:dl/)?go(?P<v>[0-9][^/]*?)\.src\.tar\.gz$`),
		Repo:    "https://github.com/golang/go", Tag: "go{v}",
		Docs: "https://github.com/golang/go/tags (go1.26.4)",
	},
	{
		Name:    "rust-lang.org",
		Pattern: regexp.MustCompile(`^https://static\.rust-lang\.org/dist/rustc-(?P<v>[0-9][^/]*?)-src\.tar\.(?:gz|xz)$`),
		Repo:    "https://github.com/rust-lang/rust", Tag: "{v}",
		Docs: "https://github.com/rust-lang/rust/tags (1.96.1)",
	},
	{
		Name:    "kerberos.org",
		Pattern: regexp.MustCompile(`^https://kerberos\.org/dist/krb5/[^/]+/krb5-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://github.com/krb5/krb5", Tag: "krb5-{v}-final",
		Docs: "https://github.com/krb5/krb5/tags (krb5-1.21.3-final)",
	},
	{
		Name:    "curl.se",
		Pattern: regexp.MustCompile(`^https://curl\.(?:haxx\.)?se/download/curl-(?P<v>[0-9][^/]*?)\.tar\.(?:xz|gz|bz2)$`),
		Repo:    "https://github.com/curl/curl", Tag: "curl-{v_}",
		Docs: "https://github.com/curl/curl/tags (curl-8_15_0, as OSS-Fuzz's records list them)",
	},
	{
		Name:    "zlib.net",
		Pattern: regexp.MustCompile(`^https://(?:www\.)?zlib\.net/(?:fossils/)?zlib-(?P<v>[0-9][^/]*?)\.tar\.(?:gz|xz)$`),
		Repo:    "https://github.com/madler/zlib", Tag: "v{v}",
		Docs: "https://github.com/madler/zlib/tags (v1.3.1)",
	},
	{
		Name:    "ncurses",
		Pattern: regexp.MustCompile(`^https://invisible-(?:island|mirror)\.net/archives/ncurses/ncurses-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://github.com/ThomasDickey/ncurses-snapshots", Tag: "v{v_}",
		Docs: "https://github.com/ThomasDickey/ncurses-snapshots/tags (v6_5, v6_5_20240427)",
	},
	{
		Name:    "iana.org",
		Pattern: regexp.MustCompile(`^https://data\.iana\.org/time-zones/releases/tzdata(?P<v>\d{4}[a-z])\.tar\.gz$`),
		Repo:    "https://github.com/eggert/tz", Tag: "{v}",
		Docs: "https://github.com/eggert/tz/tags (2026b)",
	},
	{
		Name:    "gradle.org",
		Pattern: regexp.MustCompile(`^https://services\.gradle\.org/distributions/gradle-(?P<v>[0-9][^/]*?)-(?:bin|all)\.zip$`),
		Repo:    "https://github.com/gradle/gradle", Tag: "v{v}",
		Docs: "https://github.com/gradle/gradle/tags (v8.14.4)",
	},
	{
		Name:    "mpfr.org",
		Pattern: regexp.MustCompile(`^https://www\.mpfr\.org/mpfr-[^/]+/mpfr-(?P<v>[0-9][^/]*?)\.tar\.(?:xz|gz|bz2)$`),
		Repo:    "https://gitlab.inria.fr/mpfr/mpfr", Tag: "{v}",
		Docs: "https://gitlab.inria.fr/mpfr/mpfr/-/tags (4.2.1)",
	},
	{
		Name:    "mozilla.org",
		Pattern: regexp.MustCompile(`^https://hg(?:-edge)?\.mozilla\.org/projects/nss/raw-file/NSS_(?P<v>[0-9_]+)_RTM/`),
		Repo:    "https://github.com/nss-dev/nss", Tag: "NSS_{v}_RTM",
		Docs: "https://github.com/nss-dev/nss/tags (NSS_3_125_RTM), the mirror of hg.mozilla.org/projects/nss",
	},
	{
		Name:    "gnupg",
		Pattern: regexp.MustCompile(`^mirror://gnupg/(?P<p>[a-z0-9]+)/(?:v[0-9.]+/)?[a-z0-9]+-(?P<v>[0-9][^/]*?)\.tar\.(?:xz|bz2|gz)$`),
		Projects: map[string]Project{
			"gnutls": {"https://gitlab.com/gnutls/gnutls", "{v}", "https://gitlab.com/gnutls/gnutls/-/tags (3.7.9)"},
		},
	},
	{
		Name:    "openldap.org",
		Pattern: regexp.MustCompile(`^https?://(?:www|mirror)\.openldap\.org/(?:software/download/OpenLDAP|pub/OpenLDAP)/openldap-release/openldap-(?P<v>[0-9][^/]*?)\.tgz$`),
		Repo:    "https://git.openldap.org/openldap/openldap", Tag: "OPENLDAP_REL_ENG_{v_}",
		Docs: "https://git.openldap.org/openldap/openldap/-/tags (OPENLDAP_REL_ENG_2_5_13)",
	},
	{
		Name:    "libsodium.org",
		Pattern: regexp.MustCompile(`^https://download\.libsodium\.org/libsodium/releases/libsodium-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://github.com/jedisct1/libsodium", Tag: "{v}-RELEASE",
		Docs: "https://github.com/jedisct1/libsodium/tags (1.0.18-RELEASE)",
	},
	{
		Name:    "redhat.com",
		Pattern: regexp.MustCompile(`^https?://people\.redhat\.com/sgrubb/libcap-ng/libcap-ng-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://github.com/stevegrubb/libcap-ng", Tag: "v{v}",
		Docs: "https://github.com/stevegrubb/libcap-ng/tags (v0.8.3)",
	},
	{
		Name:    "freedesktop.org",
		Pattern: regexp.MustCompile(`^https://(?P<p>[a-z]+)\.freedesktop\.org/releases/[a-z]+-(?P<v>[0-9][^/]*?)\.tar\.(?:xz|gz)$`),
		Projects: map[string]Project{
			"libbsd": {"https://gitlab.freedesktop.org/libbsd/libbsd", "{v}", "https://gitlab.freedesktop.org/libbsd/libbsd/-/tags (0.11.7)"},
		},
	},
	{
		Name:    "hadrons.org",
		Pattern: regexp.MustCompile(`^https://archive\.hadrons\.org/software/libmd/libmd-(?P<v>[0-9][^/]*?)\.tar\.(?:xz|gz)$`),
		Repo:    "https://git.hadrons.org/git/libmd.git", Tag: "{v}",
		Docs: "https://git.hadrons.org/cgit/libmd.git/refs/ (1.0.4)",
	},
	{
		Name:    "busybox.net",
		Pattern: regexp.MustCompile(`^https://(?:www\.)?busybox\.net/downloads/busybox-(?P<v>[0-9][^/]*?)\.tar\.bz2$`),
		Repo:    "https://git.busybox.net/busybox", Tag: "{v_}",
		Docs: "https://git.busybox.net/busybox/refs/tags (1_35_0: the version with dots as underscores)",
	},
	{
		Name:    "linux-nfs.org",
		Pattern: regexp.MustCompile(`^https?://git\.linux-nfs\.org/\?p=steved/libtirpc\.git;a=snapshot;h=refs/tags/libtirpc-(?P<v>[0-9-]+);sf=tgz$`),
		Repo:    "git://git.linux-nfs.org/projects/steved/libtirpc.git", Tag: "libtirpc-{v}",
		Docs: "http://git.linux-nfs.org/?p=steved/libtirpc.git;a=tags (libtirpc-1-3-3)",
	},
	{
		Name:    "sourceware.org",
		Pattern: regexp.MustCompile(`^https://sourceware\.org/pub/bzip2/bzip2-(?P<v>[0-9][^/]*?)\.tar\.gz$`),
		Repo:    "https://sourceware.org/git/bzip2.git", Tag: "bzip2-{v}",
		Docs: "https://sourceware.org/git/?p=bzip2.git;a=tags (bzip2-1.0.8)",
	},
}

// sqliteVersion turns sqlite's archive number into its release: 3530100
// is 3.53.1 (X, YY, ZZ, then 00), as sqlite's download page explains.
func sqliteVersion(n string) string {
	if len(n) != 7 {
		return n
	}
	major, _ := strconv.Atoi(n[0:1])
	minor, _ := strconv.Atoi(n[1:3])
	patch, _ := strconv.Atoi(n[3:5])
	return strconv.Itoa(major) + "." + strconv.Itoa(minor) + "." + strconv.Itoa(patch)
}

// ruleFor returns the repository and tag a rule gives a URL, and the
// rule's name.
func ruleFor(raw string) (repo, tag, name string, ok bool) {
	for _, r := range Rules {
		m := r.Pattern.FindStringSubmatch(raw)
		if m == nil {
			continue
		}
		var v, p string
		for i, g := range r.Pattern.SubexpNames() {
			switch g {
			case "v":
				v = m[i]
			case "p":
				p = m[i]
			}
		}
		if r.Version != nil {
			v = r.Version(v)
		}
		repo, tmpl := r.Repo, r.Tag
		if r.Projects != nil {
			proj, ok := r.Projects[p]
			if !ok {
				continue
			}
			repo, tmpl = proj.Repo, proj.Tag
		}
		tag = strings.NewReplacer("{v}", v, "{v_}", strings.ReplaceAll(v, ".", "_"), "{v-}", strings.ReplaceAll(v, ".", "-")).Replace(tmpl)
		return repo, tag, r.Name, true
	}
	return "", "", "", false
}

// A Limit is a project whose releases no rule can name by a git tag,
// and why: the SBOM gives its sources that reason instead of saying that
// no rule names them, so a reviewer knows the gap is upstream's.
type Limit struct {
	Pattern *regexp.Regexp
	Why     string
}

// Limits are the projects of the built-in sets' closures, in nixpkgs,
// that have no rule.
var Limits = []Limit{
	{
		regexp.MustCompile(`^(?:mirror://gnu|https?://ftp\.gnu\.org/gnu)/gmp/|^ftp://ftp\.gmplib\.org/`),
		"GMP is developed in Mercurial (https://gmplib.org/repo/gmp), which OSV's GIT ranges cannot name",
	},
	{
		regexp.MustCompile(`^(?:mirror://gnu|https?://ftp\.gnu\.org/gnu)/gnucobol/`),
		"GnuCOBOL is developed in Subversion (https://sourceforge.net/p/gnucobol/code), which OSV's GIT ranges cannot name",
	},
	{
		regexp.MustCompile(`^(?:mirror://gnu|https?://ftp\.gnu\.org/gnu)/nettle/`),
		"Nettle's tags carry the release date (nettle_3.10_release_20240616 in https://git.lysator.liu.se/nettle/nettle), which the URL does not give",
	},
	{
		regexp.MustCompile(`^https?://download\.oracle\.com/berkeley-db/`),
		"Berkeley DB has no public repository",
	},
}

// limitFor returns why no rule names the release at raw, if a Limit
// says.
func limitFor(raw string) string {
	for _, l := range Limits {
		if l.Pattern.MatchString(raw) {
			return l.Why
		}
	}
	return ""
}
