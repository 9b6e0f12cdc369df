package nix

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClosureFactsGolden reads the facts of the real closure of the
// capture flake's app (app refers to zlib, whose src is a GitHub source with
// a tag and a commit, and which carries a CVE patch).
func TestClosureFactsGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "derivation-closure-nix2.8.json"))
	if err != nil {
		t.Fatal(err)
	}
	infos, err := DecodePathInfo(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClosure(infos)
	if err != nil {
		t.Fatal(err)
	}
	facts := ClosureFacts(c, decodeDrvFile(t, "derivation-nix2.8.json"))
	checkJSONGolden(t, "facts.golden.json", facts)
	zlib := facts[1]
	want := &Source{Path: "/nix/store/zc1fxbr1cb1slfm3y65agq6alpp6i18m-source",
		URLs:       []string{"https://github.com/madler/zlib/archive/refs/tags/v1.3.1.tar.gz"},
		Repository: "https://github.com/madler/zlib", Tag: "v1.3.1", Commit: "51b7f2abdade71cd9bb0e7a373ef2610ec6f9daf"}
	if diff := cmp.Diff(want, zlib.Source); diff != "" || zlib.Pname != "zlib" || zlib.Version != "1.3.1" {
		t.Errorf("zlib facts %+v; source (-want +got):\n%s", zlib, diff)
	}
	if len(zlib.Patches) != 1 || zlib.Patches[0].Name != "CVE-2023-45853.patch" || !cmp.Equal(zlib.Patches[0].CVEs, []string{"CVE-2023-45853"}) {
		t.Errorf("zlib patches = %+v", zlib.Patches)
	}
	// app has no pname: its name is split as parseDrvName does.
	if app := facts[0]; app.Pname != "app" || app.Version != "2.0" || app.Fallback || app.Source != nil {
		t.Errorf("app facts = %+v", app)
	}
}

func TestClosureFactsFallback(t *testing.T) {
	src := "/nix/store/" + hashA + "-fix-2.0.patch"
	out := "/nix/store/" + hashB + "-lib-1.0"
	c, err := NewClosure([]PathInfo{
		{Path: src, NarHash: sri},
		{Path: out, NarHash: sri, References: []string{src}, Deriver: "/nix/store/" + hashB + "-other.drv"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The derivation is found by its outputs, not by the deriver.
	drvs := map[string]Derivation{drvA: {Path: drvA, Name: "lib-1.0", Outputs: map[string]string{"out": out}, Env: map[string]string{}}}
	got := ClosureFacts(c, drvs)
	want := []Facts{
		{Path: out, Deriver: drvA, Output: "out", Name: "lib-1.0", Pname: "lib", Version: "1.0"},
		{Path: src, Name: "fix-2.0.patch", Pname: "fix", Version: "2.0.patch", Fallback: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without derivations, every path falls back to its name.
	for _, f := range ClosureFacts(c, nil) {
		if !f.Fallback || f.Deriver != "" {
			t.Errorf("facts without derivations: %+v", f)
		}
	}
}

func TestSourceOf(t *testing.T) {
	const commit = "51b7f2abdade71cd9bb0e7a373ef2610ec6f9daf"
	p := "/nix/store/" + hashA + "-source"
	tests := []struct {
		name string
		env  map[string]string
		want Source
	}{
		{"github tag archive (fetchFromGitHub with tag)", map[string]string{"urls": "https://github.com/madler/zlib/archive/refs/tags/v1.3.1.tar.gz"},
			Source{URLs: []string{"https://github.com/madler/zlib/archive/refs/tags/v1.3.1.tar.gz"}, Repository: "https://github.com/madler/zlib", Tag: "v1.3.1"}},
		{"github commit archive", map[string]string{"url": "https://github.com/madler/zlib/archive/" + commit + ".tar.gz"},
			Source{URLs: []string{"https://github.com/madler/zlib/archive/" + commit + ".tar.gz"}, Repository: "https://github.com/madler/zlib", Commit: commit}},
		{"github ref archive is a tag", map[string]string{"url": "https://github.com/BurntSushi/ripgrep/archive/14.1.1.tar.gz"},
			Source{URLs: []string{"https://github.com/BurntSushi/ripgrep/archive/14.1.1.tar.gz"}, Repository: "https://github.com/BurntSushi/ripgrep", Tag: "14.1.1"}},
		{"github archive with rev and tag env", map[string]string{"url": "https://github.com/madler/zlib/archive/refs/tags/v1.3.1.tar.gz", "rev": commit, "tag": "v1.3.1"},
			Source{URLs: []string{"https://github.com/madler/zlib/archive/refs/tags/v1.3.1.tar.gz"}, Repository: "https://github.com/madler/zlib", Tag: "v1.3.1", Commit: commit}},
		{"fetchgit", map[string]string{"url": "https://git.savannah.gnu.org/git/grep.git", "rev": commit},
			Source{URLs: []string{"https://git.savannah.gnu.org/git/grep.git"}, Repository: "https://git.savannah.gnu.org/git/grep", Commit: commit}},
		{"fetchgit at a tag ref", map[string]string{"url": "https://example.org/x.git", "rev": "refs/tags/v2"},
			Source{URLs: []string{"https://example.org/x.git"}, Tag: "v2"}},
		{"fetchgit with tag and commit", map[string]string{"url": "https://example.org/x.git", "rev": commit, "tag": "v2"},
			Source{URLs: []string{"https://example.org/x.git"}, Repository: "https://example.org/x", Tag: "v2", Commit: commit}},
		{"plain url, urls list, repeats dropped", map[string]string{"url": "https://a.example/x.tar.xz", "urls": "https://a.example/x.tar.xz https://b.example/x.tar.xz"},
			Source{URLs: []string{"https://a.example/x.tar.xz", "https://b.example/x.tar.xz"}}},
		{"not github", map[string]string{"url": "https://gitlab.com/o/r/archive/v1.tar.gz"},
			Source{URLs: []string{"https://gitlab.com/o/r/archive/v1.tar.gz"}}},
		{"nothing", map[string]string{}, Source{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Path = p
			if diff := cmp.Diff(tt.want, sourceOf(p, tt.env)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDrvName(t *testing.T) {
	for _, tt := range []struct{ in, pname, version string }{
		{"openssl-3.0.14", "openssl", "3.0.14"},
		{"nss-cacert-3.101", "nss-cacert", "3.101"},
		{"nss-cacert", "nss-cacert", ""},
		{"python3.11-pip-24.2", "python3.11-pip", "24.2"},
		{"rust-analyzer-2024-11-04", "rust-analyzer", "2024-11-04"},
		{"glibc-2.36-bin", "glibc", "2.36-bin"},
		{"source", "source", ""},
		{"a-", "a-", ""},
	} {
		if p, v := ParseDrvName(tt.in); p != tt.pname || v != tt.version {
			t.Errorf("ParseDrvName(%q) = %q, %q; want %q, %q", tt.in, p, v, tt.pname, tt.version)
		}
	}
}

func TestCVEIDs(t *testing.T) {
	got := CVEIDs("openssl-cve-2024-5535+CVE-2023-0464-and-CVE-2024-5535.patch")
	if diff := cmp.Diff([]string{"CVE-2023-0464", "CVE-2024-5535"}, got); diff != "" {
		t.Error(diff)
	}
	if got := CVEIDs("fix-build.patch"); got != nil {
		t.Errorf("CVEIDs(fix-build.patch) = %q", got)
	}
}
