package scantest

// The records planted for the test universe's images, one or more for each
// shape in which nixpkgs' fetchers leave a source (see internal/nix's
// source.go), on the universe's packages that have it. They are written in
// the shape of real OSV records: OSS-Fuzz's GIT records list tags in
// versions (curl-8_15_0, jq-1.8.1), osv.dev's CVE conversions plain
// releases (5.6.1, 8.9.0).
const (
	// CPython is a vendor site's release (python.org, by the
	// python.org rule), v3.11.2.
	CPython = "TEST-CPYTHON"
	// CPythonFixed lists a later release only.
	CPythonFixed = "TEST-CPYTHON-FIXED"
	// Coreutils is a GNU mirror's release (mirror://gnu, the gnu rule),
	// v9.1.
	Coreutils = "TEST-COREUTILS"
	// ShadowOther is shadow's fetchFromGitHub { tag = "4.13"; }, for a
	// CVE its patch does not fix.
	ShadowOther = "TEST-SHADOW-OTHER"
	// P11Kit is p11-kit's fetchFromGitHub with submodules, which is a
	// (structured) fetchgit, rev "0.24.1"; a dependency of git.
	P11Kit = "TEST-P11KIT"
	// Git is git's release (kernel.org, the git rule); git's derivation
	// has structured attributes.
	Git = "TEST-GIT"
	// GitFixed lists a later release only.
	GitFixed = "TEST-GIT-FIXED"
	// XZ is a dependency with structured attributes (liblzma5, xz's
	// release asset, v5.4.1), in a record that lists plain releases, as
	// osv.dev's CVE conversions do.
	XZ = "TEST-XZ"
	// Bash lists bash's tag, bash-5.2; the universe's bash is 5.2p15,
	// upstream's patch series past it: low confidence.
	Bash = "TEST-BASH"
)

const critical = `"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],`

// git is a planted GIT record for repo listing versions.
func git(id, repo, versions string) string {
	return `{"id": "` + id + `", "modified": "2026-01-01T00:00:00Z", "summary": "a planted record", ` + critical + `
	  "affected": [{"ranges": [{"type": "GIT", "repo": "` + repo + `", "events": [
	      {"introduced": "0"}, {"fixed": "0123456789abcdef0123456789abcdef01234567"}]}], "versions": [` + versions + `]}]}`
}

// UniverseRecords are Records with a record for each of the shapes above.
var UniverseRecords = func() map[string][]string {
	out := map[string][]string{}
	for eco, recs := range Records {
		out[eco] = append([]string(nil), recs...)
	}
	out["GIT"] = append(out["GIT"],
		git(CPython, "https://github.com/python/cpython", `"v3.11.1", "v3.11.2"`),
		git(CPythonFixed, "https://github.com/python/cpython", `"v3.11.4"`),
		git(Coreutils, "https://git.savannah.gnu.org/git/coreutils.git", `"v9.0", "v9.1"`),
		git(ShadowOther, ShadowRepo+".git", `"`+ShadowTag+`"`),
		git(P11Kit, "https://github.com/p11-glue/p11-kit", `"0.24.1"`),
		git(Git, "https://github.com/git/git", `"v2.39.5"`),
		git(GitFixed, "https://github.com/git/git", `"v2.40.0"`),
		git(XZ, "https://github.com/tukaani-project/xz", `"5.4.0", "5.4.1"`),
		git(Bash, "https://git.savannah.gnu.org/git/bash.git", `"bash-5.2"`),
	)
	return out
}()
