package main

import (
	"encoding/json"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestPlatformsIndex builds a runtime image for linux/amd64 and
// linux/arm64 with one call, as one OCI image index, checks it with the
// tools that read indexes, pushes it to a local registry, pulls each
// platform's image back, and checks that the two platforms share the
// layers of the store paths they share, and nothing else.
func TestPlatformsIndex(t *testing.T) {
	arm64, cache := arm64Env(t)
	start := time.Now()
	lay := filepath.Join(t.TempDir(), "layout")
	code, stdout, stderr := cli(t, "build", "runtime", "--sets", "base,python", "--platforms", "linux/arm64,linux/amd64", "--oci-layout", lay, "--json", "-q")
	if code != exitOK {
		t.Fatalf("nixlayer build --platforms: exit status %d: %s", code, stderr)
	}
	t.Logf("building the two-platform index took %v", time.Since(start))
	var sum struct{ Images []pipeline.Summary }
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil || len(sum.Images) != 2 {
		t.Fatalf("the summary %q (%v) has not two images", stdout, err)
	}
	idx, imgs := readIndex(t, lay)
	raw, err := idx.RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("one manifest per platform, in the table's order", func(t *testing.T) {
		var got, want []string
		for i, m := range manifest.Manifests {
			got = append(got, m.Platform.String()+" "+m.Digest.String())
			p := platform.All()[i]
			want = append(want, p.OCI+strings.TrimSuffix("/"+p.Variant, "/")+" "+sum.Images[i].Digest)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("index manifests (-want +got):\n%s", diff)
		}
		if err := validate.Index(idx); err != nil {
			t.Errorf("validate.Index: %v", err)
		}
	})

	t.Run("skopeo reads the index", func(t *testing.T) {
		testenv.Require(t, "skopeo")
		out, err := exec.Command("skopeo", "inspect", "--raw", "oci:"+lay+":nixlayer/runtime:latest").Output()
		if err != nil || string(out) != string(raw) {
			t.Errorf("skopeo inspect --raw: %q, %v; want the index %s", out, err, raw)
		}
	})

	t.Run("umoci reads each platform's image", func(t *testing.T) {
		testenv.Require(t, "skopeo")
		testenv.Require(t, "umoci")
		// umoci 0.4 resolves a tag through nested indexes to every image
		// manifest below it, so the index's tag names two images: "tag is
		// ambiguous". It reads a layout whose tag names one image.
		out, err := exec.Command("umoci", "stat", "--image", lay+":nixlayer/runtime:latest").CombinedOutput()
		t.Logf("umoci stat on the two-platform layout: %v: %s", err, strings.TrimSpace(string(out)))
		for _, m := range manifest.Manifests {
			one := filepath.Join(t.TempDir(), "one")
			copyArgs := []string{"copy", "--override-os", m.Platform.OS, "--override-arch", m.Platform.Architecture, "oci:" + lay + ":nixlayer/runtime:latest", "oci:" + one + ":runtime"}
			if out, err := exec.Command("skopeo", copyArgs...).CombinedOutput(); err != nil {
				t.Fatalf("skopeo %s: %v\n%s", strings.Join(copyArgs, " "), err, out)
			}
			if got := layoutDigest(t, one); got != m.Digest.String() {
				t.Errorf("skopeo took %s for %s, want %s", got, m.Platform, m.Digest)
			}
			bundle := filepath.Join(t.TempDir(), "bundle")
			if out, err := exec.Command("umoci", "unpack", "--image", one+":runtime", bundle).CombinedOutput(); err != nil {
				t.Errorf("umoci unpack of the %s image: %v\n%s", m.Platform, err, out)
			} else if _, err := os.Lstat(filepath.Join(bundle, "rootfs/usr/bin/python3")); err != nil {
				t.Errorf("umoci unpacked the %s image without python3: %v", m.Platform, err)
			}
		}
	})

	t.Run("layers never mix platforms", func(t *testing.T) {
		for i, img := range imgs {
			p := platform.All()[i]
			machines := elfMachines(t, img)
			if len(machines) != 1 || machines[p.ELFMachine] == 0 {
				t.Errorf("the %s image's ELF files by machine: %v; want only %d", p.OCI, machines, p.ELFMachine)
			}
		}
	})

	t.Run("shared store paths share their layer", func(t *testing.T) {
		amd, arm := storeLayers(t, imgs[0]), storeLayers(t, imgs[1])
		var shared []string
		for p, d := range arm {
			if da, ok := amd[p]; ok {
				shared = append(shared, p)
				if da != d {
					t.Errorf("%s is in layer %s for amd64 but %s for arm64", p, da, d)
				}
			}
		}
		slices.Sort(shared)
		// The universe's packages of architecture "all" are fixed-output
		// derivations, which Nix gives one path on both systems; every
		// other path names its system.
		var names []string
		for _, p := range shared {
			names = append(names, nix.StoreName(p))
		}
		slices.Sort(names)
		if len(names) != 2 || !strings.HasPrefix(names[0], "nss-cacert-") || !strings.HasPrefix(names[1], "tzdata-") {
			t.Errorf("the platforms share %v, want cacert and tzdata", names)
		}
		total, distinct, sharedBytes := blobBytes(t, imgs)
		t.Logf("layers: %d for amd64, %d for arm64; shared store paths %v; a push of both sends %d bytes of layers and configs, not %d: %d bytes shared",
			len(layerDigests(t, imgs[0])), len(layerDigests(t, imgs[1])), names, distinct, total, sharedBytes)
		if sharedBytes == 0 || total-distinct != sharedBytes {
			t.Errorf("blobs: %d bytes in all, %d distinct, %d in layers of both", total, distinct, sharedBytes)
		}
	})

	t.Run("each platform's layer plan holds", func(t *testing.T) {
		// The build recorded one catalog per system; the arm64 one holds
		// the arm64 image's glibc.
		files, err := filepath.Glob(filepath.Join(cachedir.Dir(cache).Catalogs(), "catalog-*.json"))
		if err != nil || len(files) != 2 {
			t.Fatalf("recorded catalogs: %v, %v; want one per platform", files, err)
		}
		armPaths := storeLayers(t, imgs[1])
		var c layers.Catalog
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var cat layers.Catalog
			if err := json.Unmarshal(data, &cat); err != nil {
				t.Fatal(err)
			}
			if _, ok := armPaths[cat.Roots["glibc"]]; ok {
				c = cat
			}
		}
		if c.Graph == nil {
			t.Fatal("no recorded catalog has the arm64 image's glibc")
		}
		// TestBuild plans every combination of the sets on the amd64
		// catalog; the arm64 one, of the same attributes, has 8192 of
		// them planned, a sixteenth, to save a minute of both cores.
		st := layerstest.CheckCombinations(t, c, layerstest.BuiltinSets(), layers.Budget{Reserved: 1}, 8192, layerstest.ExtrasFor(c)...)
		t.Logf("the universe's arm64 catalog: %+v", st)

		// Runtime ⊂ devcontainer, for arm64: every store layer of the
		// runtime image is a layer of the devcontainer of the same sets.
		_, dev, _ := build(t, "devcontainer", "base,python", "--platform", arm64.OCI)
		devLayers := map[string]bool{}
		for _, d := range storeLayers(t, dev) {
			devLayers[d] = true
		}
		for p, d := range armPaths {
			if !devLayers[d] {
				t.Errorf("arm64 runtime layer %s (with %s) is not in the devcontainer", d, p)
			}
		}
	})

	t.Run("publish pushes the index once and each platform pulls its image", func(t *testing.T) {
		testenv.Require(t, "skopeo")
		reg := newByteCountingRegistry(t)
		repo := strings.TrimPrefix(reg.URL, "http://") + "/acme/runtime"
		code, stdout, stderr := cli(t, "publish", "runtime", "--sets", "base,python", "--platforms", "linux/amd64,linux/arm64", "--address", repo+":1", "-q")
		d, _ := idx.Digest()
		if code != exitOK || stdout != repo+":1@"+d.String()+"\n" {
			t.Fatalf("publish: exit status %d, %q, %s; want %s", code, stdout, stderr, d)
		}
		_, distinct, _ := blobBytes(t, imgs)
		if up := reg.uploaded.Load(); up != distinct {
			t.Errorf("the push uploaded %d bytes of blobs, want each distinct layer and config once: %d", up, distinct)
		}
		code, stdout, stderr = cli(t, "publish", "--oci-layout", lay, "--address", repo+":2", "-q")
		if code != exitOK || stdout != repo+":2@"+d.String()+"\n" {
			t.Fatalf("publish --oci-layout: exit status %d, %q, %s", code, stdout, stderr)
		}
		if up := reg.uploaded.Load(); up != distinct {
			t.Errorf("the push of the layout uploaded %d bytes, want none", up-distinct)
		}
		for _, m := range manifest.Manifests {
			pulled := filepath.Join(t.TempDir(), "pulled")
			args := []string{"copy", "--src-tls-verify=false", "--override-os", m.Platform.OS, "--override-arch", m.Platform.Architecture, "docker://" + repo + ":2", "oci:" + pulled + ":runtime"}
			if out, err := exec.Command("skopeo", args...).CombinedOutput(); err != nil {
				t.Fatalf("skopeo %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			if got := layoutDigest(t, pulled); got != m.Digest.String() {
				t.Errorf("skopeo pulled %s for %s, want %s", got, m.Platform, m.Digest)
			}
		}
	})
}

// readIndex returns the image index of an OCI layout written with
// --platforms, and its images in order.
func readIndex(t *testing.T, dir string) (v1.ImageIndex, []v1.Image) {
	t.Helper()
	top, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := top.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 1 || !m.Manifests[0].MediaType.IsIndex() {
		t.Fatalf("%s/index.json names %v, want one image index", dir, m.Manifests)
	}
	idx, err := top.ImageIndex(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := image.ReadLayout(dir)
	if err != nil {
		t.Fatal(err)
	}
	return idx, imgs
}

// layoutDigest returns the digest of the one image of an OCI layout.
func layoutDigest(t *testing.T, dir string) string {
	t.Helper()
	d, err := readLayout(t, dir).Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// blobBytes adds up the sizes of the layers and configs of imgs: every
// one, each distinct one, and the layers in more than one image.
func blobBytes(t *testing.T, imgs []v1.Image) (total, distinct, shared int64) {
	t.Helper()
	sizes := map[string]int64{}
	uses := map[string]int{}
	for _, img := range imgs {
		m, err := img.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range append([]v1.Descriptor{m.Config}, m.Layers...) {
			sizes[d.Digest.String()] = d.Size
			uses[d.Digest.String()]++
			total += d.Size
		}
	}
	for _, d := range slices.Sorted(maps.Keys(sizes)) {
		distinct += sizes[d]
		if uses[d] > 1 {
			shared += sizes[d] * int64(uses[d]-1)
		}
	}
	return total, distinct, shared
}

// byteCountingRegistry is an in-process registry that adds up the bytes
// of the blobs uploaded to it.
type byteCountingRegistry struct {
	*httptest.Server
	uploaded atomic.Int64
}

func newByteCountingRegistry(t *testing.T) *byteCountingRegistry {
	r := &byteCountingRegistry{}
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.Contains(req.URL.Path, "/blobs/uploads/") && req.Body != nil {
			req.Body = &countingBody{ReadCloser: req.Body, n: &r.uploaded}
		}
		reg.ServeHTTP(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

// countingBody adds the bytes read from a request body to n.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	k, err := b.ReadCloser.Read(p)
	b.n.Add(int64(k))
	return k, err
}
