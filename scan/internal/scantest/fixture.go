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
	ZlibPath   = "/nix/store/0a2jkvb6dcq8dmcjrmjnxxf2yb9qwb3r-zlib1g-1.2.13.dfsg"
	ShadowPath = "/nix/store/1b3kmwc7fdr9fndkrnkpyyg3zc0rxc4s-shadow-4.13"
	PipPath    = "/nix/store/2c4lnxd8gfs0gpfls0lqzzh4zd1sy2d5-pip-24.2"
	ShfmtPath  = "/nix/store/3d5mpyf9hgv1hqgmv1mr00i5zf2vz3f6-shfmt-3.10.0"
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

// Document is the SBOM of the synthetic image: zlib (a dependency, with
// its source at a tag and commit), shadow (with its CVE patch), pip and
// shfmt.
func Document() *sbom.Document {
	patch := "/nix/store/4f6nqzg0jiw2jrhnw2ns11j6zg3w04g7-shadow-CVE-2023-29383.patch"
	return &sbom.Document{
		Meta: sbom.Meta{Kind: "runtime", Sets: []string{"base"}, System: "x86_64-linux", Epoch: time.Unix(1, 0).UTC()},
		Components: []sbom.Component{
			{Path: ZlibPath, Name: "zlib1g", Version: "1.2.13.dfsg", NarHash: "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0=",
				Source: &nix.Source{Path: "/nix/store/5f7pr0h1kjx3ksipx3pq22k7zh4x15h8-source", URLs: []string{"https://github.com/madler/zlib/archive/" + ZlibTag + ".tar.gz"},
					Repository: ZlibRepo, Tag: ZlibTag, Commit: ZlibCommit}},
			{Path: ShadowPath, Name: "shadow", Version: "4.13", NarHash: "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0=", Attrs: []string{"shadow"},
				Source:  &nix.Source{Repository: ShadowRepo, Tag: ShadowTag, Commit: ShadowCommit},
				Patches: []nix.Patch{{Path: patch, Name: nix.StoreName(patch), CVEs: nix.CVEIDs(patch)}}},
			{Path: PipPath, Name: "pip", Version: "24.2", NarHash: "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0=", Attrs: []string{"python312Packages.pip"},
				Source: &nix.Source{Repository: "https://github.com/pypa/pip", Tag: "24.2"}},
			{Path: ShfmtPath, Name: "shfmt", Version: "3.10.0", NarHash: "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0=", Attrs: []string{"shfmt"}},
		},
	}
}

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
