package layerstest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Fixture is a synthetic catalog with the sets and extra roots to test it
// with.
type Fixture struct {
	Catalog layers.Catalog
	Sets    map[string][]string // the built-in sets
	Extras  []Extra             // roots outside the catalog
}

// pkg is a store path of the synthetic model: its name, rough NAR size in
// MiB and the names of the paths it refers to.
type pkg struct {
	name string
	mib  float64
	deps []string
}

// model resembles the closure of the built-in sets in nixpkgs: shared
// libraries (glibc, zlib, openssl, icu, the C++ runtime), a few large
// paths (python, node, go, rustc, llvm, gcc, bun, the JDKs, gradle) and
// packages that refer to other catalog attributes' out paths (git to
// python3, bats to coreutils, nix-direnv to nix, the node tools to nodejs,
// gradle to the JDK, GnuCOBOL's compiler to its library).
var model = []pkg{
	{"glibc-2.40", 29, []string{"libidn2", "xgcc-libgcc"}},
	{"libidn2", 0.4, []string{"libunistring"}},
	{"libunistring", 2, nil},
	{"xgcc-libgcc", 0.2, nil},
	{"gcc-lib", 8, []string{"glibc-2.40"}},
	{"zlib", 0.2, []string{"glibc-2.40"}},
	{"bzip2", 0.3, []string{"glibc-2.40"}},
	{"xz", 1, []string{"glibc-2.40"}},
	{"zstd", 1.5, []string{"glibc-2.40"}},
	{"openssl", 7, []string{"glibc-2.40"}},
	{"ncurses", 3, []string{"glibc-2.40"}},
	{"readline", 1, []string{"ncurses"}},
	{"libffi", 0.1, []string{"glibc-2.40"}},
	{"sqlite", 2, []string{"zlib", "readline"}},
	{"expat", 0.4, []string{"glibc-2.40"}},
	{"gmp", 1, []string{"glibc-2.40"}},
	{"mpfr", 1, []string{"gmp"}},
	{"libmpc", 0.2, []string{"mpfr"}},
	{"attr", 0.2, []string{"glibc-2.40"}},
	{"acl", 0.3, []string{"attr"}},
	{"libcap", 0.3, []string{"attr"}},
	{"pcre2", 2, []string{"glibc-2.40"}},
	{"libxcrypt", 0.2, []string{"glibc-2.40"}},
	{"icu", 35, []string{"gcc-lib"}},
	{"libxml2", 3, []string{"zlib", "icu", "xz"}},
	{"bash", 1.5, []string{"glibc-2.40"}},
	{"brotli", 1, []string{"glibc-2.40"}},
	{"nghttp2", 0.3, []string{"glibc-2.40"}},
	{"libssh2", 0.5, []string{"openssl", "zlib"}},
	{"libpsl", 0.2, []string{"libidn2", "libunistring"}},
	{"keyutils", 0.1, []string{"glibc-2.40"}},
	{"krb5", 5, []string{"openssl", "keyutils"}},
	{"curl-lib", 1, []string{"openssl", "zlib", "zstd", "brotli", "nghttp2", "libssh2", "libpsl", "krb5"}},
	{"systemd-minimal-libs", 5, []string{"libcap", "xz", "zstd"}},
	{"audit", 1, []string{"glibc-2.40"}},
	{"pam", 2, []string{"libxcrypt", "audit"}},
	{"libmd", 0.1, []string{"glibc-2.40"}},
	{"libbsd", 0.3, []string{"libmd"}},
	{"perl", 55, []string{"zlib", "libxcrypt"}},
	{"mailcap", 0.1, nil},
	{"iana-etc", 0.5, nil},
	{"tzdata", 2, nil},
	{"nss-cacert", 0.5, nil},
	{"oniguruma", 0.6, []string{"glibc-2.40"}},
	{"libuv", 0.5, []string{"glibc-2.40"}},
	{"c-ares", 0.3, []string{"glibc-2.40"}},
	{"gdbm", 0.5, []string{"readline"}},
	{"libgit2", 2, []string{"openssl", "zlib", "pcre2", "libssh2"}},
	{"boehm-gc", 1, []string{"gcc-lib"}},
	{"boost", 8, []string{"gcc-lib"}},
	{"libarchive", 2, []string{"acl", "bzip2", "xz", "zstd", "openssl", "libxml2"}},
	{"libseccomp", 0.3, []string{"glibc-2.40"}},
	{"aws-sdk-cpp", 25, []string{"curl-lib", "openssl", "zlib", "gcc-lib"}},
	{"lowdown", 0.5, []string{"glibc-2.40"}},
	{"editline", 0.1, []string{"ncurses"}},
	{"libsodium", 0.5, []string{"glibc-2.40"}},
	{"binutils", 30, []string{"zlib", "gcc-lib"}},
	{"glibc-2.40-dev", 3, []string{"glibc-2.40"}},
	{"gcc", 150, []string{"glibc-2.40-dev", "gmp", "mpfr", "libmpc", "zlib"}},
	{"gcc-wrapper", 0.1, []string{"gcc", "binutils", "glibc-2.40-dev", "bash", "coreutils"}},
	{"llvm-lib", 120, []string{"gcc-lib", "zlib", "libffi", "libxml2", "ncurses"}},
	{"rustc-unwrapped", 300, []string{"llvm-lib", "gcc-lib", "zlib"}},
	{"libX11", 3, []string{"glibc-2.40"}},
	{"alsa-lib", 2, []string{"glibc-2.40"}},
	{"freetype", 1.5, []string{"zlib"}},
	{"fontconfig", 1, []string{"freetype"}},
	{"db", 2, []string{"glibc-2.40"}},
	{"gnucobol-lib", 1.5, []string{"gmp", "ncurses", "db"}},
	{"python3.12-distlib", 1, []string{"python3"}},
	{"python3.12-filelock", 0.1, []string{"python3"}},
	{"python3.12-platformdirs", 0.1, []string{"python3"}},
	// The out paths of catalog attributes.
	{"bash-interactive", 8, []string{"readline", "ncurses", "glibc-2.40"}},
	{"coreutils", 17, []string{"acl", "attr", "gmp", "openssl"}},
	{"findutils", 1.5, []string{"coreutils", "bash"}},
	{"gnugrep", 1, []string{"pcre2", "bash"}},
	{"gnused", 0.8, []string{"glibc-2.40"}},
	{"gnutar", 2.5, []string{"acl"}},
	{"gzip", 0.3, []string{"bash"}},
	{"procps", 1, []string{"ncurses", "systemd-minimal-libs"}},
	{"getent", 0.1, []string{"glibc-2.40"}},
	{"git", 50, []string{"perl", "python3", "curl-lib", "expat", "pcre2", "bash", "coreutils", "gnugrep"}},
	{"curl", 0.5, []string{"curl-lib"}},
	{"jq", 0.5, []string{"oniguruma"}},
	{"ripgrep", 5, []string{"pcre2", "gcc-lib"}},
	{"fd", 3, []string{"gcc-lib"}},
	{"fzf", 4, nil},
	{"bat", 6, []string{"libgit2", "gcc-lib"}},
	{"shadow", 3, []string{"pam", "libxcrypt", "acl", "libbsd"}},
	{"sudo", 3, []string{"pam", "zlib", "openssl", "audit"}},
	{"nix", 20, []string{"boehm-gc", "boost", "libarchive", "libseccomp", "aws-sdk-cpp", "libgit2", "lowdown",
		"editline", "curl-lib", "sqlite", "libsodium", "bash", "coreutils"}},
	{"direnv", 8, []string{"bash"}},
	{"nix-direnv", 0.1, []string{"nix", "bash", "coreutils", "gnugrep", "direnv"}},
	{"python3", 100, []string{"bzip2", "expat", "libffi", "gdbm", "xz", "mailcap", "ncurses", "openssl",
		"readline", "sqlite", "zlib", "libxcrypt", "tzdata", "bash"}},
	{"python3.12-pip", 9, []string{"python3"}},
	{"python3.12-virtualenv", 10, []string{"python3", "python3.12-distlib", "python3.12-filelock", "python3.12-platformdirs"}},
	{"uv", 35, []string{"gcc-lib"}},
	{"ruff", 25, []string{"gcc-lib"}},
	{"pyright", 20, []string{"nodejs"}},
	{"nodejs", 70, []string{"icu", "openssl", "zlib", "libuv", "brotli", "c-ares", "nghttp2", "bash"}},
	{"bun", 90, []string{"glibc-2.40"}},
	{"typescript", 22, []string{"nodejs"}},
	{"prettier", 8, []string{"nodejs"}},
	{"eslint", 30, []string{"nodejs"}},
	{"go", 250, []string{"iana-etc", "mailcap", "tzdata"}},
	{"gopls", 30, nil},
	{"golangci-lint", 45, []string{"go"}},
	{"rustc", 0.5, []string{"rustc-unwrapped", "gcc-wrapper"}},
	{"cargo", 30, []string{"curl-lib", "libgit2", "gcc-lib"}},
	{"rust-analyzer", 50, []string{"gcc-lib"}},
	{"clippy", 20, []string{"rustc-unwrapped"}},
	{"rustfmt", 10, []string{"rustc-unwrapped"}},
	{"shellcheck", 40, []string{"gmp", "libffi"}},
	{"shfmt", 4, nil},
	{"bats", 0.2, []string{"bash", "coreutils"}},
	{"temurin-jre-bin", 140, []string{"zlib", "glibc-2.40"}},
	{"openjdk-headless", 300, []string{"zlib", "gcc-lib"}},
	{"openjdk", 330, []string{"zlib", "gcc-lib", "freetype", "fontconfig", "libX11", "alsa-lib"}},
	{"maven", 10, []string{"openjdk-headless"}},
	{"gradle", 140, []string{"openjdk"}},
	{"gnucobol-bin", 4, []string{"gnucobol-lib", "gmp", "glibc-2.40"}},
}

// attrPkgs maps each catalog attribute to the model path that is its out
// path.
var attrPkgs = map[string]string{
	"bashInteractive": "bash-interactive", "coreutils": "coreutils", "findutils": "findutils",
	"gnugrep": "gnugrep", "gnused": "gnused", "cacert": "nss-cacert", "tzdata": "tzdata",
	"glibc": "glibc-2.40", "stdenv.cc.cc.lib": "gcc-lib", "gnutar": "gnutar", "gzip": "gzip",
	"procps": "procps", "getent": "getent",
	"git": "git", "curl": "curl", "jq": "jq", "ripgrep": "ripgrep", "fd": "fd", "fzf": "fzf",
	"bat": "bat", "shadow": "shadow", "sudo": "sudo",
	"nix": "nix", "direnv": "direnv", "nix-direnv": "nix-direnv",
	"python312":             "python3",
	"python312Packages.pip": "python3.12-pip", "python312Packages.virtualenv": "python3.12-virtualenv",
	"uv": "uv", "ruff": "ruff", "pyright": "pyright",
	"nodejs_22": "nodejs",
	"bun":       "bun", "typescript": "typescript", "prettier": "prettier", "eslint": "eslint",
	"go": "go", "gopls": "gopls", "golangci-lint": "golangci-lint",
	"rustc": "rustc", "cargo": "cargo",
	"rust-analyzer": "rust-analyzer", "clippy": "clippy", "rustfmt": "rustfmt",
	"shellcheck": "shellcheck", "shfmt": "shfmt", "bats": "bats",
	"temurin-jre-bin-21": "temurin-jre-bin",
	"jdk21":              "openjdk", "maven": "maven", "gradle": "gradle",
	"gnucobol.lib": "gnucobol-lib", "gnucobol": "gnucobol-bin",
}

// Synthetic returns a catalog of the 53 attributes of [BuiltinSets] that
// resembles a real one, with three extra roots: "app" (with a large asset
// path, referring to glibc, zlib, libffi, oniguruma and openssl), "company-ca" (one
// small path) and "python-tool" (referring to python3's out path). The
// same seed gives the same fixture. Besides the model's paths, each
// attribute's package gets up to three private dependencies of random
// sizes, one in five of them a leaf shared with another random package, and every
// size varies by up to 20%.
func Synthetic(seed uint64) Fixture {
	rng := rand.New(rand.NewPCG(seed, 0x6e69786c61796572))
	pkgs := make(map[string]*pkg, len(model))
	var names []string
	for _, m := range model {
		p := m
		p.deps = slices.Clone(m.deps)
		pkgs[p.name] = &p
		names = append(names, p.name)
	}
	var attrNames []string
	for _, a := range slices.Sorted(maps.Keys(attrPkgs)) {
		attrNames = append(attrNames, attrPkgs[a])
	}
	for _, owner := range attrNames {
		for i := range rng.IntN(4) {
			dep := &pkg{name: fmt.Sprintf("%s-dep%d", owner, i), mib: 0.05 + rng.Float64()*3}
			if rng.IntN(5) == 0 { // a leaf, so sharing it makes no cycle
				if other := attrNames[rng.IntN(len(attrNames))]; other != owner {
					pkgs[other].deps = append(pkgs[other].deps, dep.name)
				}
			} else if owner != "glibc-2.40" {
				dep.deps = []string{"glibc-2.40"}
			}
			pkgs[dep.name] = dep
			names = append(names, dep.name)
			pkgs[owner].deps = append(pkgs[owner].deps, dep.name)
		}
	}

	paths := make(map[string]string, len(pkgs))
	for _, n := range names {
		paths[n] = storePath(rng, n)
	}
	var infos []nix.PathInfo
	for _, n := range names {
		p := pkgs[n]
		info := nix.PathInfo{Path: paths[n], NarHash: narHash(paths[n]), NarSize: int64(p.mib * (0.8 + 0.4*rng.Float64()) * (1 << 20))}
		info.References = []string{}
		for _, d := range p.deps {
			info.References = append(info.References, paths[d])
		}
		slices.Sort(info.References)
		infos = append(infos, info)
	}
	graph, err := nix.NewClosure(infos)
	if err != nil {
		panic(fmt.Sprintf("layerstest: the synthetic model is not a closure: %v", err))
	}
	roots := make(map[string]string, len(attrPkgs))
	for a, n := range attrPkgs {
		roots[a] = paths[n]
	}
	return Fixture{
		Catalog: layers.Catalog{Roots: roots, Graph: graph},
		Sets:    BuiltinSets(),
		Extras:  syntheticExtras(rng, paths),
	}
}

// syntheticExtras returns the extra roots of Synthetic. catalog maps model
// names to store paths.
func syntheticExtras(rng *rand.Rand, catalog map[string]string) []Extra {
	var extras []Extra
	add := func(attr string, paths ...pkg) {
		local := make(map[string]string)
		for _, p := range paths {
			local[p.name] = storePath(rng, p.name)
		}
		e := Extra{Attr: attr, Path: local[paths[0].name]}
		for _, p := range paths {
			info := nix.PathInfo{Path: local[p.name], NarHash: narHash(local[p.name]), NarSize: int64(p.mib * (1 << 20)), References: []string{}}
			for _, d := range p.deps {
				if l, ok := local[d]; ok {
					info.References = append(info.References, l)
				} else {
					info.References = append(info.References, catalog[d])
				}
			}
			slices.Sort(info.References)
			e.Paths = append(e.Paths, info)
		}
		extras = append(extras, e)
	}
	add("app",
		pkg{"app-1.0", 12, []string{"app-assets", "app-lib", "glibc-2.40", "openssl", "zlib"}},
		pkg{"app-assets", 80, nil},
		pkg{"app-lib", 3, []string{"libffi", "oniguruma", "glibc-2.40"}})
	add("company-ca", pkg{"company-ca", 0.01, nil})
	add("python-tool",
		pkg{"python3.12-tool", 2, []string{"python3", "python3.12-requests"}},
		pkg{"python3.12-requests", 1, []string{"python3"}})
	return extras
}

// storePath returns a store path named name with a random hash part.
func storePath(rng *rand.Rand, name string) string {
	const alphabet = "0123456789abcdfghijklmnpqrsvwxyz" // Nix's base32
	hash := make([]byte, 32)
	for i := range hash {
		hash[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return "/nix/store/" + string(hash) + "-" + name
}

// narHash returns a made-up SRI hash for path.
func narHash(path string) string {
	sum := sha256.Sum256([]byte(path))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
