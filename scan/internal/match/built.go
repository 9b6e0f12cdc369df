package match

import (
	"fmt"
	"regexp"

	"github.com/nixlayer/nixlayer/internal/sbom"
)

// upstreamSeries are the names of patches that carry an upstream release
// line past its tag, each with where nixpkgs applies it. A package
// patched with one is not the release its tag names.
var upstreamSeries = []struct {
	re   *regexp.Regexp
	what string
}{
	// GNU's official patch series, published beside the release as
	// <name>-X.Y-patches/<name>XY-NNN and fetched by nixpkgs under that
	// name (pkgs/shells/bash/5.nix@01363563: fetchurl
	// "mirror://gnu/bash/bash-5.2-patches/bash52-${nr}"; readline's
	// readline83-NNN likewise); nixpkgs counts them in the version
	// ("5.2p15").
	{regexp.MustCompile(`^[a-z]+[0-9]{2,}-[0-9]{3}$`), "upstream's patch series"},
	// glibc's release branch, as one diff from the tag to the branch's
	// head (pkgs/development/libraries/glibc/common.nix@00437292:
	// ./2.42-master.patch, "git show … glibc-2.42.." of
	// release/2.42/master); nixpkgs counts its commits in the version
	// ("2.42-67").
	{regexp.MustCompile(`^[0-9]+(\.[0-9]+)+-master\.patch(\.gz)?$`), "upstream's release branch"},
}

// builtConfidence says why the source package c was built from may not
// be the release that the record matched by key k names, or returns "".
//
// A match is low-confidence when the built source is not the tag:
//
//   - its version is not the tag's version (glibc 2.42-67 from the tag
//     glibc-2.42, bash 5.2p15 from bash-5.2, Debian's 1.2.13.dfsg from
//     v1.2.13), compared as releases (see release): nixpkgs' version says
//     how far past the tag its source is;
//   - or one of its patches, naming no CVE, is upstream's patch series
//     or release branch past the tag (upstreamSeries), which carries
//     fixes a record of the tag's release may not know of.
//
// Other patches that name no CVE do not lower confidence: nearly every
// package has some (openssl's use-etc-ssl-certs.patch, git's
// docbook2texi.patch), and they adapt the build to Nix rather than change
// what release it is. A patch naming a CVE suppresses that CVE's
// findings instead (patchedBy).
func builtConfidence(c sbom.Component, k Key) string {
	if k.Tag != "" && c.Version != "" && release(stripRepoPrefix(k.Tag, k.Repository)) != release(c.Version) {
		return fmt.Sprintf("the built source is not tag %s: version %s is not the tag's release", k.Tag, c.Version)
	}
	for _, p := range c.Patches {
		if len(p.CVEs) > 0 {
			continue
		}
		for _, s := range upstreamSeries {
			if s.re.MatchString(p.Name) {
				return fmt.Sprintf("the built source is not %s: patch %s is %s past it", fetched(k), p.Name, s.what)
			}
		}
	}
	return ""
}

// fetched names what key k fetched, for people.
func fetched(k Key) string {
	switch {
	case k.Tag != "":
		return "tag " + k.Tag
	case k.Commit != "":
		return "commit " + k.Commit
	}
	return "the release"
}
