package sbom_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/sbom/sbomtest"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestUniverse makes the SBOM of a few universe attributes built with the
// real Nix, and checks that their dependencies, which no one requested,
// are components with the facts of their derivations.
func TestUniverse(t *testing.T) {
	universe := testenv.Universe(t)
	store, env := testenv.NixEnv(t)
	d := &nix.Driver{Store: store, Env: env, FlakeArgs: []string{"--override-input", "nixpkgs", "path:" + universe}}
	var attrs []sets.Attr
	for _, a := range []string{"python312", "curl", "shadow", "python312Packages.pip"} {
		attrs = append(attrs, sets.Attr{Path: a, Origin: "--packages"})
	}
	doc, closure := sbomtest.Build(t, d, flake.Request{System: "x86_64-linux", Attrs: attrs}, sbom.Meta{Kind: "runtime", System: "x86_64-linux", Epoch: time.Unix(1, 0)})
	if len(doc.Components) != closure.Len() {
		t.Errorf("%d components for %d store paths", len(doc.Components), closure.Len())
	}
	byName := map[string]sbom.Component{}
	for _, c := range doc.Components {
		byName[c.Name] = c
		if c.NarHash == "" || (c.Fallback && !strings.HasSuffix(c.Path, ".patch")) {
			t.Errorf("component %s: narHash %q, fallback %v", c.Path, c.NarHash, c.Fallback)
		}
	}
	// Dependencies only: zlib, openssl and glibc come through python3 and curl.
	for _, name := range []string{"zlib1g", "libssl3", "glibc"} {
		c, ok := byName[name]
		if !ok {
			t.Errorf("no component %s among %d", name, len(doc.Components))
			continue
		}
		if c.Fallback || c.Version == "" || len(c.Attrs) != 0 || c.Source == nil || len(c.Source.URLs) == 0 {
			t.Errorf("component %s lacks derivation facts: %+v", name, c)
		}
	}
	// The sources, as nixpkgs' fetchers leave them in the derivations of
	// dependencies: a release asset, a vendor site's release, a
	// structured package's, a commit snapshot.
	for name, want := range map[string]nix.Source{
		"zlib1g":   {Repository: "https://github.com/madler/zlib", Tag: "v1.2.13", Fetcher: "fetchurl", Rule: "GitHub release asset"},
		"python3":  {Repository: "https://github.com/python/cpython", Tag: "v3.11.2", Fetcher: "fetchurl", Rule: "python.org"},
		"liblzma5": {Repository: "https://github.com/tukaani-project/xz", Tag: "v5.4.1", Fetcher: "fetchurl", Rule: "GitHub release asset"},
		"libssh2-1": {Repository: "https://github.com/libssh2/libssh2", Commit: "7daee037d110bbdb003ea75ca68d357ffa9d8fa8", Fetcher: "fetchurl", Rule: "GitHub archive",
			Note: "a commit with no tag: offline matching needs a tag or a release version"},
	} {
		got := byName[name].Source
		if got == nil {
			t.Errorf("%s has no source", name)
			continue
		}
		g := *got
		g.Path, g.URLs = "", nil
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("%s's source (-want +got):\n%s", name, diff)
		}
	}
	if v := byName["liblzma5"].Version; v != "5.4.1" {
		t.Errorf("liblzma5, whose attributes are structured, has version %q", v)
	}
	shadow := byName["shadow"]
	if len(shadow.Patches) != 1 || shadow.Patches[0].Name != "shadow-CVE-2023-29383.patch" || len(shadow.Patches[0].CVEs) != 1 || shadow.Patches[0].CVEs[0] != "CVE-2023-29383" {
		t.Errorf("shadow's patches = %+v", shadow.Patches)
	}
	if pip := byName["pip"]; len(pip.Attrs) != 1 || pip.Attrs[0] != "python312Packages.pip" || pip.Version != "24.2" {
		t.Errorf("pip = %+v", pip)
	}
	if cpe := byName["python3"].CPE; !strings.HasPrefix(cpe, "cpe:2.3:a:python:python:3.11.2:") {
		t.Errorf("python3's CPE = %q", cpe)
	}
	data, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := sbom.Decode(data)
	if err != nil || len(back.Components) != len(doc.Components) {
		t.Fatalf("Decode: %d components, %v", len(back.Components), err)
	}
	t.Logf("%d components, %d bytes", len(doc.Components), len(data))
}
