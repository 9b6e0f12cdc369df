package image

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// dockerBase is a base image as Docker makes one: Docker media types, a
// config with what nixlayer sets and what it does not, Docker's own
// fields, and a history entry without a layer.
func dockerBase(t *testing.T, arch string) v1.Image {
	t.Helper()
	var layers []v1.Layer
	for _, f := range []string{"/etc/os-release", "/usr/bin/base"} {
		l, err := FilesLayer([]File{{Path: f, Mode: 0o644, Data: []byte(f)}}, testEpoch)
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, plainLayer{l, types.DockerLayer})
	}
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch
	cf.DockerVersion, cf.Container, cf.Author = "20.10", "abc", "someone"
	cf.Config = v1.Config{Env: []string{"PATH=/usr/bin"}, Cmd: []string{"sh"}, StopSignal: "SIGQUIT",
		ExposedPorts: map[string]struct{}{"8080/tcp": {}}, Labels: map[string]string{"base": "yes"}}
	cf.History = []v1.History{{CreatedBy: "ADD os-release"}, {CreatedBy: "ENV X=1", EmptyLayer: true}, {CreatedBy: "ADD base"}}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestAssembleOn(t *testing.T) {
	base := dockerBase(t, "amd64")
	own, err := FilesLayer([]File{{Path: "/etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/:/bin/sh\n")}}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Architecture: "amd64", Env: []string{"PATH=/usr/local/bin:/usr/bin"}, User: "app", Cmd: []string{"app"}, Labels: map[string]string{"nixlayer": "yes"}, Created: testEpoch}
	img, err := AssembleOn(base, cfg, []Layer{{Layer: own, CreatedBy: "customisation"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Image(img); err != nil {
		t.Errorf("validate.Image: %v", err)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	bm, _ := base.Manifest()
	if m.MediaType != types.OCIManifestSchema1 || m.Config.MediaType != types.OCIConfigJSON || len(m.Layers) != 3 {
		t.Fatalf("manifest %s, config %s, %d layers", m.MediaType, m.Config.MediaType, len(m.Layers))
	}
	for i, d := range bm.Layers {
		if m.Layers[i].Digest != d.Digest || m.Layers[i].MediaType != types.OCILayer {
			t.Errorf("layer %d: %s %s, want the base's %s as %s", i, m.Layers[i].MediaType, m.Layers[i].Digest, d.Digest, types.OCILayer)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	want := v1.Config{Env: cfg.Env, User: "app", Cmd: []string{"app"}, StopSignal: "SIGQUIT", ExposedPorts: map[string]struct{}{"8080/tcp": {}}, Labels: cfg.Labels}
	if diff := cmp.Diff(want, cf.Config); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if cf.DockerVersion != "" || cf.Container != "" || cf.Author != "" {
		t.Errorf("the base's builder's fields are kept: %q %q %q", cf.DockerVersion, cf.Container, cf.Author)
	}
	var history []string
	for _, h := range cf.History {
		history = append(history, h.CreatedBy)
	}
	if diff := cmp.Diff([]string{"ADD os-release", "ENV X=1", "ADD base", "customisation"}, history); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	again, err := AssembleOn(base, cfg, []Layer{{Layer: own, CreatedBy: "customisation"}})
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := img.Digest()
	d2, _ := again.Digest()
	if d1 != d2 {
		t.Errorf("the same inputs give %s and %s", d1, d2)
	}
	if _, err := AssembleOn(dockerBase(t, "arm64"), cfg, nil); err == nil || !strings.Contains(err.Error(), "the base is an image for linux/arm64, not linux/amd64") {
		t.Errorf("a base of another platform: %v", err)
	}
}

// TestOpenImage reads one base image from each kind of source: an OCI
// layout, an OCI archive, nixlayer's own archive, a docker archive and a
// registry, which all give its layers, and the first three its manifest.
func TestOpenImage(t *testing.T) {
	base := dockerBase(t, "amd64")
	img, err := AssembleOn(base, Config{Architecture: "amd64", Created: testEpoch}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	dir := t.TempDir()
	lay := filepath.Join(dir, "layout")
	if err := WriteLayout(context.Background(), img, lay, "base:1"); err != nil {
		t.Fatal(err)
	}
	ours := filepath.Join(dir, "ours.tar")
	if err := WriteArchive(context.Background(), img, ours, "base:1"); err != nil {
		t.Fatal(err)
	}
	oci := filepath.Join(dir, "oci.tar")
	tarOf(t, lay, oci)
	docker := filepath.Join(dir, "docker.tar")
	if err := tarball.WriteToFile(docker, name.MustParseReference("base:1"), img); err != nil {
		t.Fatal(err)
	}
	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer reg.Close()
	ref := strings.TrimPrefix(reg.URL, "http://") + "/base:1"
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}
	amd64 := OpenOptions{Platform: v1.Platform{OS: "linux", Architecture: "amd64"}, CacheDir: t.TempDir()}
	for _, src := range []string{lay, ours, oci, docker, ref} {
		s, err := OpenImage(context.Background(), src, amd64)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if err := validate.Image(s.Image); err != nil {
			t.Errorf("%s: %v", src, err)
		}
		sameLayers(t, img, s.Image)
		if src != docker && s.Digest != want {
			t.Errorf("%s: digest %s, want %s", src, s.Digest, want)
		}
		if (src == ref) != (s.Name == ref) {
			t.Errorf("%s: name %q", src, s.Name)
		}
	}
	arm64 := OpenOptions{Platform: v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}
	for _, src := range []string{lay, oci, ref, filepath.Join(dir, "missing"), filepath.Join(dir, "layout", "oci-layout")} {
		_, err := OpenImage(context.Background(), src, arm64)
		if _, bad := errors.AsType[*BadImageError](err); !bad {
			t.Errorf("%s for arm64: error %v, want a BadImageError", src, err)
		}
	}
	if _, err := OpenImage(context.Background(), "127.0.0.1:1/base:1", amd64); err == nil {
		t.Error("an unreachable registry: no error")
	} else if _, bad := errors.AsType[*BadImageError](err); bad {
		t.Errorf("an unreachable registry: %v is a BadImageError", err)
	}
}

// sameLayers checks that got has want's layers.
func sameLayers(t *testing.T, want, got v1.Image) {
	t.Helper()
	wl, _ := want.Layers()
	gl, err := got.Layers()
	if err != nil || len(gl) != len(wl) {
		t.Fatalf("%d layers (%v), want %d", len(gl), err, len(wl))
	}
	for i := range wl {
		wd, _ := wl[i].Digest()
		gd, _ := gl[i].Digest()
		if wd != gd {
			t.Errorf("layer %d: %s, want %s", i, gd, wd)
		}
	}
}

// tarOf writes the files of dir into a tar file, as an OCI archive holds
// a layout.
func tarOf(t *testing.T, dir, file string) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := tw.AddFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}
