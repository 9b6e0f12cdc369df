package match_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/match"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// ossFuzz is a record shaped as google/oss-fuzz-vulns writes them (and
// osv.dev serves them): the OSS-Fuzz project as the package, one GIT
// range of commits with the repository as the project's build names it,
// and the affected tags as versions.
func ossFuzz(id, project, repo string, tags ...string) string {
	return record(map[string]any{
		"id": id, "summary": "Heap-buffer-overflow in " + project, "modified": "2026-01-01T00:00:00Z",
		"details": "OSS-Fuzz report: a planted record",
		"affected": []any{map[string]any{
			"package": map[string]any{"ecosystem": "OSS-Fuzz", "name": project},
			"ranges": []any{map[string]any{"type": "GIT", "repo": repo, "events": []any{
				map[string]any{"introduced": "1111111111111111111111111111111111111111"},
				map[string]any{"fixed": "2222222222222222222222222222222222222222"}}}},
			"versions":           tags,
			"ecosystem_specific": map[string]any{"severity": "HIGH"},
		}},
	})
}

// cve5 is a record shaped as osv.dev's CVE5 converter writes them
// (vulnfeeds/conversion/cve5): no package, a GIT range of commits ending
// at last_affected with the versions it was extracted from, and the
// affected releases as plain versions.
func cve5(id, repo string, versions ...string) string {
	var extracted []any
	for _, v := range versions {
		extracted = append(extracted, map[string]any{"introduced": v}, map[string]any{"last_affected": v})
	}
	return record(map[string]any{
		"id": id, "modified": "2026-01-01T00:00:00Z", "aliases": []string{"GHSA-xxxx-xxxx-xxxx"},
		"details":           "A planted CVE record.",
		"severity":          []any{map[string]any{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		"database_specific": map[string]any{"cna_assigner": "test", "osv_generated_from": "unknown"},
		"affected": []any{map[string]any{
			"ranges": []any{map[string]any{"type": "GIT", "repo": repo,
				"events": []any{
					map[string]any{"introduced": "3333333333333333333333333333333333333333"},
					map[string]any{"last_affected": "4444444444444444444444444444444444444444"}},
				"database_specific": map[string]any{"extracted_events": extracted, "source": "AFFECTED_FIELD"}}},
			"versions": versions,
		}},
	})
}

func record(r map[string]any) string {
	data, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return string(data)
}

// component is a Nix package of a test SBOM.
func component(name, version string, src *nix.Source, patches ...string) sbom.Component {
	c := sbom.Component{Path: "/nix/store/0a2jkvb6dcq8dmcjrmjnxxf2yb9qwb3r-" + name + "-" + version, Name: name, Version: version, Source: src}
	for _, p := range patches {
		path := "/nix/store/1b3kmwc7fdr9fndkrnkpyyg3zc0rxc4s-" + p
		c.Patches = append(c.Patches, nix.Patch{Path: path, Name: p, CVEs: nix.CVEIDs(p)})
	}
	return c
}

// gitOutcome is what a test checks of a GIT finding.
type gitOutcome struct {
	ID, By, Listed string
	Counts         bool
	// Why is the low-confidence reason or the suppression.
	Why string
}

func scanNix(t *testing.T, records []string, comps ...sbom.Component) []gitOutcome {
	t.Helper()
	db := scantest.Database(t, map[string][]string{"GIT": records})
	doc := &sbom.Document{Meta: sbom.Meta{Kind: "runtime", Epoch: time.Unix(1, 0)}, Components: comps}
	res, err := match.Scan(t.Context(), doc, "", match.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	return gitOutcomes(t, res.Findings)
}

func gitOutcomes(t *testing.T, fs []scanner.Finding) []gitOutcome {
	t.Helper()
	var out []gitOutcome
	for _, f := range fs {
		if f.Match != match.ByGit {
			t.Errorf("%s: match %q, want %q", f.ID, f.Match, match.ByGit)
		}
		out = append(out, gitOutcome{f.ID, f.By, f.Listed, f.Counts(), f.LowConfidence + f.Suppressed})
	}
	return out
}

const (
	curlRepo = "https://github.com/curl/curl"
	xzRepo   = "https://github.com/tukaani-project/xz"
)

// Sources as nixpkgs' fetchers leave them: a release asset by fetchurl,
// a tag by fetchFromGitHub.
func curlSource(tag string) *nix.Source {
	return &nix.Source{Fetcher: "fetchurl", Repository: curlRepo, Tag: tag,
		URLs: []string{curlRepo + "/releases/download/" + tag + "/curl.tar.xz"}}
}

func xzSource(version string) *nix.Source {
	return &nix.Source{Fetcher: "fetchurl", Repository: xzRepo, Tag: "v" + version,
		URLs: []string{xzRepo + "/releases/download/v" + version + "/xz-" + version + ".tar.xz"}}
}

// TestMatchGit checks each matching rule on records shaped as OSV's, one
// case per rule, with the releases that must stay clean.
func TestMatchGit(t *testing.T) {
	tests := []struct {
		name    string
		records []string
		comps   []sbom.Component
		want    []gitOutcome
	}{{
		name:    "tag listed as written, repository with .git in the record",
		records: []string{ossFuzz("TEST-CURL-TAG", "curl", curlRepo+".git", "curl-8_14_1", "curl-8_15_0", "rc-8_15_0-2")},
		comps:   []sbom.Component{component("curl", "8.15.0", curlSource("curl-8_15_0"))},
		want:    []gitOutcome{{"TEST-CURL-TAG", match.ByTag, "curl-8_15_0", true, ""}},
	}, {
		name: "a withdrawn record does not match",
		records: []string{strings.Replace(ossFuzz("TEST-CURL-TAG", "curl", curlRepo+".git", "curl-8_15_0"),
			`"id":`, `"withdrawn":"2026-02-01T00:00:00Z","id":`, 1)},
		comps: []sbom.Component{component("curl", "8.15.0", curlSource("curl-8_15_0"))},
	}, {
		name:    "a fixed release is clean",
		records: []string{ossFuzz("TEST-CURL-TAG", "curl", curlRepo+".git", "curl-8_14_1", "curl-8_15_0", "rc-8_16_0-1")},
		comps:   []sbom.Component{component("curl", "8.16.0", curlSource("curl-8_16_0"))},
	}, {
		name:    "plain versions of a CVE record, by the package's version",
		records: []string{cve5("TEST-XZ-CVE", xzRepo, "5.6.0", "5.6.1")},
		comps:   []sbom.Component{component("xz", "5.6.1", xzSource("5.6.1"))},
		want:    []gitOutcome{{"TEST-XZ-CVE", match.ByVersion, "5.6.1", true, ""}},
	}, {
		name:    "plain versions: a fixed release is clean",
		records: []string{cve5("TEST-XZ-CVE", xzRepo, "5.6.0", "5.6.1")},
		comps:   []sbom.Component{component("xz", "5.6.2", xzSource("5.6.2"))},
	}, {
		name:    "plain versions by the tag's release",
		records: []string{cve5("TEST-CURL-CVE", curlRepo, "8.8.0", "8.9.0")},
		comps:   []sbom.Component{component("curl-minimal", "", curlSource("curl-8_9_0"))},
		want:    []gitOutcome{{"TEST-CURL-CVE", match.ByVersion, "8.9.0", true, ""}},
	}, {
		name:    "repository spelt in another case, scheme and suffix",
		records: []string{ossFuzz("TEST-PCRE2", "pcre2", "https://github.com/PCRE2Project/pcre2", "pcre2-10.45", "pcre2-10.46")},
		comps: []sbom.Component{component("pcre2", "10.46", &nix.Source{Fetcher: "fetchurl",
			Repository: "http://github.com/pcre2project/pcre2.git/", Tag: "pcre2-10.46"})},
		want: []gitOutcome{{"TEST-PCRE2", match.ByTag, "pcre2-10.46", true, ""}},
	}, {
		name:    "another repository's tag does not match",
		records: []string{ossFuzz("TEST-CURL-TAG", "curl", curlRepo+".git", "curl-8_15_0")},
		comps: []sbom.Component{component("curl", "8.15.0", &nix.Source{Fetcher: "fetchFromGitHub",
			Repository: "https://github.com/curl/curl-fork", Tag: "curl-8_15_0"})},
	}, {
		name:    "a release candidate is not the release",
		records: []string{ossFuzz("TEST-PCRE2-RC", "pcre2", "https://github.com/PCRE2Project/pcre2", "pcre2-10.45-RC1")},
		comps: []sbom.Component{component("pcre2", "10.45", &nix.Source{Fetcher: "fetchurl",
			Repository: "https://github.com/PCRE2Project/pcre2", Tag: "pcre2-10.45"})},
	}, {
		// osv.dev's normalizeTag drops the letter: 1.1.1w would be 1.1.1.
		name:    "a letter release is not its base release",
		records: []string{ossFuzz("TEST-OPENSSL", "openssl", "https://github.com/openssl/openssl.git", "OpenSSL_1_1_1w")},
		comps: []sbom.Component{
			component("openssl", "1.1.1", &nix.Source{Fetcher: "fetchurl", Repository: "https://github.com/openssl/openssl", Tag: "OpenSSL_1_1_1"}),
			component("openssl", "1.1.1w", &nix.Source{Fetcher: "fetchurl", Repository: "https://github.com/openssl/openssl", Tag: "OpenSSL_1_1_1w"}),
		},
		want: []gitOutcome{{"TEST-OPENSSL", match.ByTag, "OpenSSL_1_1_1w", true, ""}},
	}, {
		name:    "a github purl names repository and tag",
		records: []string{ossFuzz("TEST-JQ", "jq", "https://github.com/jqlang/jq", "jq-1.7.1", "jq-1.8.0")},
		comps: []sbom.Component{func() sbom.Component {
			c := component("jq", "1.7.1", &nix.Source{Fetcher: "fetchurl", URLs: []string{"https://example.org/jq-1.7.1.tar.gz"},
				Note: "https://example.org/jq-1.7.1.tar.gz: no URL rule names its repository"})
			c.PURL = "pkg:github/jqlang/jq@jq-1.7.1"
			return c
		}()},
		want: []gitOutcome{{"TEST-JQ", match.ByTag, "jq-1.7.1", true, ""}},
	}, {
		name:    "a URL rule names repository and tag",
		records: []string{ossFuzz("TEST-GZIP", "gzip", "https://git.savannah.gnu.org/git/gzip.git", "v1.13", "v1.14")},
		comps: []sbom.Component{component("gzip", "1.14", &nix.Source{Fetcher: "fetchurl", Rule: "gnu",
			URLs: []string{"mirror://gnu/gzip/gzip-1.14.tar.xz"}, Repository: "https://git.savannah.gnu.org/git/gzip.git", Tag: "v1.14"})},
		want: []gitOutcome{{"TEST-GZIP", match.ByTag, "v1.14", true, ""}},
	}, {
		name:    "a commit-only source is not matched offline",
		records: []string{ossFuzz("TEST-LIBSSH2", "libssh2", "https://github.com/libssh2/libssh2.git", "libssh2-1.11.1")},
		comps: []sbom.Component{component("libssh2", "1.11.1-unstable-2026-06-30", &nix.Source{Fetcher: "fetchurl",
			Repository: "https://github.com/libssh2/libssh2", Commit: "1111111111111111111111111111111111111111"})},
	}, {
		name:    "version not the tag's: glibc's release branch",
		records: []string{ossFuzz("TEST-GLIBC", "glibc", "https://sourceware.org/git/glibc.git", "glibc-2.41", "glibc-2.42")},
		comps: []sbom.Component{component("glibc", "2.42-67", &nix.Source{Fetcher: "fetchurl", Rule: "gnu",
			Repository: "https://sourceware.org/git/glibc.git", Tag: "glibc-2.42"}, "2.42-master.patch", "nix-locale-archive.patch")},
		want: []gitOutcome{{"TEST-GLIBC", match.ByTag, "glibc-2.42", false,
			"the built source is not tag glibc-2.42: version 2.42-67 is not the tag's release"}},
	}, {
		name:    "version not the tag's: bash's patch level",
		records: []string{cve5("TEST-BASH-CVE", "https://git.savannah.gnu.org/git/bash.git", "5.1", "5.2")},
		comps: []sbom.Component{component("bash", "5.2p15", &nix.Source{Fetcher: "fetchurl", Rule: "gnu",
			Repository: "https://git.savannah.gnu.org/git/bash.git", Tag: "bash-5.2"}, "bash52-001", "bash52-015")},
		want: []gitOutcome{{"TEST-BASH-CVE", match.ByVersion, "5.2", false,
			"the built source is not tag bash-5.2: version 5.2p15 is not the tag's release"}},
	}, {
		name:    "upstream's patch series past the tag",
		records: []string{ossFuzz("TEST-READLINE", "readline", "https://git.savannah.gnu.org/git/readline.git", "readline-8.3")},
		comps: []sbom.Component{component("readline", "8.3", &nix.Source{Fetcher: "fetchurl", Rule: "gnu",
			Repository: "https://git.savannah.gnu.org/git/readline.git", Tag: "readline-8.3"}, "readline83-001")},
		want: []gitOutcome{{"TEST-READLINE", match.ByTag, "readline-8.3", false,
			"the built source is not tag readline-8.3: patch readline83-001 is upstream's patch series past it"}},
	}, {
		name:    "upstream's release branch past the tag",
		records: []string{ossFuzz("TEST-GLIBC", "glibc", "https://sourceware.org/git/glibc.git", "glibc-2.42")},
		comps: []sbom.Component{component("glibc", "2.42", &nix.Source{Fetcher: "fetchurl", Rule: "gnu",
			Repository: "https://sourceware.org/git/glibc.git", Tag: "glibc-2.42"}, "2.42-master.patch.gz")},
		want: []gitOutcome{{"TEST-GLIBC", match.ByTag, "glibc-2.42", false,
			"the built source is not tag glibc-2.42: patch 2.42-master.patch.gz is upstream's release branch past it"}},
	}, {
		name:    "a patch of the build, naming no CVE, leaves the match counted",
		records: []string{ossFuzz("TEST-OPENSSL", "openssl", "https://github.com/openssl/openssl.git", "openssl-3.5.5")},
		comps: []sbom.Component{component("openssl", "3.5.5", &nix.Source{Fetcher: "fetchurl",
			Repository: "https://github.com/openssl/openssl", Tag: "openssl-3.5.5"}, "use-etc-ssl-certs.patch", "nix-ssl-cert-file.patch")},
		want: []gitOutcome{{"TEST-OPENSSL", match.ByTag, "openssl-3.5.5", true, ""}},
	}, {
		name: "a patch naming the CVE suppresses",
		records: []string{strings.Replace(cve5("TEST-XZ-CVE", xzRepo, "5.6.1"), `"aliases":["GHSA-xxxx-xxxx-xxxx"]`,
			`"aliases":["CVE-2024-3094"]`, 1)},
		comps: []sbom.Component{component("xz", "5.6.1", xzSource("5.6.1"), "CVE-2024-3094.patch")},
		want:  []gitOutcome{{"TEST-XZ-CVE", match.ByVersion, "5.6.1", false, "patched by CVE-2024-3094.patch"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, scanNix(t, tt.records, tt.comps...)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMatchGitIntroducedZero checks that a plain version listed by an
// "introduced: 0" range is weighed against the record's own bounds, as a
// listed tag is.
func TestMatchGitIntroducedZero(t *testing.T) {
	rec := strings.Replace(cve5("TEST-XZ-ZERO", xzRepo, "5.4.0", "5.6.1"), `{"introduced":"3333333333333333333333333333333333333333"}`, `{"introduced":"0"}`, 1)
	rec = strings.Replace(rec, `"versions":`, `"database_specific":{"unresolved_ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"5.0.0"},{"fixed":"5.6.0"}]}]},"versions":`, 1)
	got := scanNix(t, []string{rec}, component("xz", "5.6.1", xzSource("5.6.1")))
	want := []gitOutcome{{"TEST-XZ-ZERO", match.ByVersion, "5.6.1", false,
		"matched by an introduced: 0 GIT range listing version 5.6.1, but the record's version range [5.0.0, 5.6.0) excludes version 5.6.1"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
