package scantest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
)

// The synthetic image's store paths.
const (
	ZlibPath   = "/nix/store/0a2jkvb6dcq8dmcjrmjnxxf2yb9qwb3r-zlib-1.2.13"
	ShadowPath = "/nix/store/1b3kmwc7fdr9fndkrnkpyyg3zc0rxc4s-shadow-4.13"
	PipPath    = "/nix/store/2c4lnxd8gfs0gpfls0lqzzh4zd1sy2d5-pip-24.2"
	ShfmtPath  = "/nix/store/3d5mpyf9hgv1hqgmv1mr00i5zf2vz3f6-shfmt-3.10.0"
	// LibsshPath is a commit snapshot, and CoreutilsPath a source on a
	// mirror that no rule names a repository for: in the SBOM only.
	LibsshPath    = "/nix/store/6h8qrzg1ljy4lnkpzsrq44l9bz6y37j9-libssh2-1.11.1-unstable-2026-06-30"
	CoreutilsPath = "/nix/store/7i9rsah2mkz5mp0qav1r55mabz7z48ka-coreutils-9.5"
)

// GoProgram returns the universe's Go program (testdata/universe/gobin,
// which regen.sh builds), skipping the test when it is missing, or failing
// it in CI.
func GoProgram(t testing.TB) []byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "universe", "gobin", "shfmt")
	data, err := os.ReadFile(p)
	if err != nil {
		msg := "the test universe's Go program is missing (%v): run testdata/universe/regen.sh"
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, err)
		}
		t.Skipf("skipping: "+msg, err)
	}
	return data
}

// Document is the SBOM of the synthetic image, with sources shaped as
// nixpkgs' fetchers leave them (a tag or a commit, never both): zlib (a
// dependency) from a GitHub release asset by fetchurl, as nixpkgs' zlib
// (urls = [ ".../releases/download/v${version}/zlib-${version}.tar.gz"
// "https://www.zlib.net/fossils/zlib-${version}.tar.gz" ]); shadow (with
// its CVE patch) and pip by fetchFromGitHub with a tag
// (".../archive/refs/tags/TAG.tar.gz", pkgs/build-support/fetchgithub);
// shfmt with no source; libssh2 from a GitHub archive of a commit by
// fetchurl, as nixpkgs' libssh2 1.11.1-unstable-2026-06-30; coreutils from
// mirror://gnu, which fetchurl keeps unresolved, before a rule names
// coreutils' repository. The Rule and Note values are those
// internal/nix gives (its source_test.go).
func Document() *sbom.Document {
	patch := "/nix/store/4f6nqzg0jiw2jrhnw2ns11j6zg3w04g7-shadow-CVE-2023-29383.patch"
	hash := "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0="
	return &sbom.Document{
		Meta: sbom.Meta{Kind: "runtime", Sets: []string{"base"}, System: "x86_64-linux", Epoch: time.Unix(1, 0).UTC()},
		Components: []sbom.Component{
			{Path: ZlibPath, Name: "zlib", Version: "1.2.13", NarHash: hash,
				Source: &nix.Source{Path: "/nix/store/5f7pr0h1kjx3ksipx3pq22k7zh4x15h8-zlib-1.2.13.tar.gz", Fetcher: "fetchurl", Rule: "GitHub release asset",
					URLs:       []string{ZlibRepo + "/releases/download/" + ZlibTag + "/zlib-1.2.13.tar.gz", "https://www.zlib.net/fossils/zlib-1.2.13.tar.gz"},
					Repository: ZlibRepo, Tag: ZlibTag}},
			{Path: ShadowPath, Name: "shadow", Version: "4.13", NarHash: hash, Attrs: []string{"shadow"},
				Source: &nix.Source{Path: "/nix/store/8j0s1bi3nl01nq1rbwz66nbc0890b59l-source", Fetcher: "fetchFromGitHub",
					URLs: []string{ShadowRepo + "/archive/refs/tags/" + ShadowTag + ".tar.gz"}, Repository: ShadowRepo, Tag: ShadowTag},
				Patches: []nix.Patch{{Path: patch, Name: nix.StoreName(patch), CVEs: nix.CVEIDs(patch)}}},
			{Path: PipPath, Name: "pip", Version: "24.2", NarHash: hash, Attrs: []string{"python312Packages.pip"},
				Source: &nix.Source{Path: "/nix/store/9k1vcdj4pm12pr2scx077pcd19a1c6am-source", Fetcher: "fetchFromGitHub",
					URLs: []string{"https://github.com/pypa/pip/archive/refs/tags/24.2.tar.gz"}, Repository: "https://github.com/pypa/pip", Tag: "24.2"}},
			{Path: ShfmtPath, Name: "shfmt", Version: "3.10.0", NarHash: hash, Attrs: []string{"shfmt"}},
			{Path: LibsshPath, Name: "libssh2", Version: "1.11.1-unstable-2026-06-30", NarHash: hash,
				Source: &nix.Source{Path: "/nix/store/ab2wdfk5qn23qs3sdy188qdf2ab2d7bn-1.11.1-unstable-2026-06-30", Fetcher: "fetchurl", Rule: "GitHub archive",
					URLs: []string{LibsshRepo + "/archive/" + LibsshCommit + ".tar.gz"}, Repository: LibsshRepo, Commit: LibsshCommit, Note: LibsshNote}},
			{Path: CoreutilsPath, Name: "coreutils", Version: "9.5", NarHash: hash,
				Source: &nix.Source{Path: "/nix/store/bc3xfgl6rp34rs4sfz299rfg3bc3f8cp-coreutils-9.5.tar.xz", Fetcher: "fetchurl",
					URLs: []string{"mirror://gnu/coreutils/coreutils-9.5.tar.xz"}, Note: CoreutilsNote}},
		},
	}
}

// The notes the SBOM gives, as internal/nix words them: why coreutils'
// source names no repository, and why libssh2's names a commit only.
const (
	CoreutilsNote = "no rule names the repository of mirror://gnu/coreutils/coreutils-9.5.tar.xz"
	LibsshNote    = "a commit with no tag: offline matching needs a tag or a release version"
)

// Archive writes the synthetic image as a docker archive in a new
// directory and returns its path and the SBOM it carries (at sbom.Path,
// with the label). labelled false leaves the label out; withSBOM false
// leaves the SBOM out.
func Archive(t testing.TB, withSBOM bool) (string, []byte) {
	t.Helper()
	data, err := Document().Encode()
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string { return strings.TrimPrefix(p, "/") }
	files := map[string][]byte{
		rel(PipPath) + "/lib/python3.11/site-packages/pip/__init__.py":             []byte("__version__ = \"24.2\"\n"),
		rel(PipPath) + "/lib/python3.11/site-packages/pip-24.2.dist-info/METADATA": []byte("Metadata-Version: 2.1\nName: pip\nVersion: 24.2\n"),
		rel(ShfmtPath) + "/bin/shfmt":                                              GoProgram(t),
		rel(ZlibPath) + "/lib/libz.so.1":                                           []byte("not really a library\n"),
		rel(ShadowPath) + "/bin/useradd":                                           []byte("#!/bin/sh\n"),
	}
	labels := map[string]string{}
	if withSBOM {
		files[rel(sbom.Path)] = data
		labels[sbom.Label] = sbom.Digest(data)
	}
	img := Image(t, files, labels)
	file := filepath.Join(t.TempDir(), "image.tar")
	tag, err := name.NewTag("nixlayer/runtime:latest")
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(file, tag, img); err != nil {
		t.Fatal(err)
	}
	return file, data
}
