package image

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// sampleImage builds the image of the sample closure.
func sampleImage(t *testing.T) (v1.Image, *fakeStore, [][]StorePath) {
	t.Helper()
	s := newFakeStore(t)
	closure := sampleClosure(s)
	img, err := buildImage(context.Background(), newBuilder(t, s, t.TempDir(), 0), closure)
	if err != nil {
		t.Fatal(err)
	}
	return img, s, closure
}

// archiveEntry is an entry of an image archive.
type archiveEntry struct {
	hdr  *tar.Header
	data []byte
}

// readArchive returns the entries of the archive file, in order.
func readArchive(t *testing.T, file string) []archiveEntry {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdrs, contents := readTar(t, f)
	entries := make([]archiveEntry, len(hdrs))
	for i := range hdrs {
		entries[i] = archiveEntry{hdrs[i], contents[i]}
	}
	return entries
}

func TestWriteArchive(t *testing.T) {
	img, _, _ := sampleImage(t)
	out := filepath.Join(t.TempDir(), "image.tar")
	if err := WriteArchive(context.Background(), img, out, "example.com/hello:1.0"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("archive: %v, %v; want mode 0644", fi, err)
	}
	entries := readArchive(t, out)
	byName := map[string][]byte{}
	var names []string
	for _, e := range entries {
		names = append(names, e.hdr.Name)
		byName[e.hdr.Name] = e.data
		h := e.hdr
		typ, mode := byte(tar.TypeReg), int64(0o644)
		if strings.HasSuffix(h.Name, "/") {
			typ, mode = tar.TypeDir, 0o755
		}
		if h.Typeflag != typ || h.Mode != mode || h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(testEpoch) {
			t.Errorf("%s: header %c %o %d:%d %q:%q %v, want %c %o 0:0 at %v", h.Name, h.Typeflag, h.Mode, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime, typ, mode, testEpoch)
		}
		if hex, ok := strings.CutPrefix(h.Name, "blobs/sha256/"); ok && hex != "" {
			if sum := sha256.Sum256(e.data); hexOf(sum[:]) != hex {
				t.Errorf("%s has sha256 %s", h.Name, hexOf(sum[:]))
			}
		}
	}

	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	digest := mustDigest(t, img)
	wantNames := []string{"oci-layout", "index.json", "manifest.json", "blobs/", "blobs/sha256/", blobPath(m.Config.Digest), blobPath(digest)}
	wantDocker := dockerManifest{Config: blobPath(m.Config.Digest), RepoTags: []string{"example.com/hello:1.0"}}
	for _, l := range m.Layers {
		wantNames = append(wantNames, blobPath(l.Digest))
		wantDocker.Layers = append(wantDocker.Layers, blobPath(l.Digest))
	}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}

	var docker []dockerManifest
	if err := json.Unmarshal(byName["manifest.json"], &docker); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dockerManifest{wantDocker}, docker); diff != "" {
		t.Errorf("manifest.json (-want +got):\n%s", diff)
	}
	var index v1.IndexManifest
	if err := json.Unmarshal(byName["index.json"], &index); err != nil {
		t.Fatal(err)
	}
	rawManifest, _ := img.RawManifest()
	wantIndex := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{{
		MediaType: types.OCIManifestSchema1, Size: int64(len(rawManifest)), Digest: digest,
		Annotations: map[string]string{AnnotationRefName: "example.com/hello:1.0"},
	}}}
	if diff := cmp.Diff(wantIndex, index); diff != "" {
		t.Errorf("index.json (-want +got):\n%s", diff)
	}
	if !bytes.Equal(byName[blobPath(digest)], rawManifest) {
		t.Error("the manifest blob is not the image's manifest")
	}
	if got := string(byName["oci-layout"]); got != ociLayout {
		t.Errorf("oci-layout is %q", got)
	}

	t.Run("docker side", func(t *testing.T) {
		tag, err := name.NewTag("example.com/hello:1.0")
		if err != nil {
			t.Fatal(err)
		}
		back, err := tarball.ImageFromPath(out, &tag)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.Image(back); err != nil {
			t.Errorf("validate.Image: %v", err)
		}
		sameContent(t, img, back)
	})
	t.Run("OCI side", func(t *testing.T) {
		dir := t.TempDir()
		for _, e := range entries {
			if e.hdr.Typeflag == tar.TypeDir {
				continue
			}
			p := filepath.Join(dir, filepath.FromSlash(e.hdr.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, e.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		back := imageFromLayout(t, dir)
		if got := mustDigest(t, back); got != digest {
			t.Errorf("layout image digest %s, want %s", got, digest)
		}
	})
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }

// imageFromLayout reads the one image of the image layout dir with ggcr
// and validates it.
func imageFromLayout(t *testing.T, dir string) v1.Image {
	t.Helper()
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 {
		t.Fatalf("index has %d manifests, want 1", len(im.Manifests))
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Image(img); err != nil {
		t.Errorf("validate.Image: %v", err)
	}
	return img
}

// sameContent checks that two images have the same config and layers.
func sameContent(t *testing.T, want, got v1.Image) {
	t.Helper()
	wc, _ := want.ConfigName()
	gc, err := got.ConfigName()
	if err != nil || gc != wc {
		t.Errorf("config %s (%v), want %s", gc, err, wc)
	}
	wl, _ := want.Layers()
	gl, err := got.Layers()
	if err != nil || len(gl) != len(wl) {
		t.Fatalf("%d layers (%v), want %d", len(gl), err, len(wl))
	}
	for i := range wl {
		wd, _ := wl[i].Digest()
		gd, err := gl[i].Digest()
		if err != nil || gd != wd {
			t.Errorf("layer %d has digest %s (%v), want %s", i, gd, err, wd)
		}
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct{ ref, want, err string }{
		{ref: "hello", want: "hello:latest"},
		{ref: "hello:1", want: "hello:1"},
		{ref: "example.com:5000/team/hello:1.0", want: "example.com:5000/team/hello:1.0"},
		{ref: "example.com:5000/team/hello", want: "example.com:5000/team/hello:latest"},
		{ref: "Hello", err: "invalid image reference"},
		{ref: "hello@sha256:" + strings.Repeat("0", 64), err: "invalid image reference"},
		{ref: "", err: "invalid image reference"},
		{ref: "hello:", err: "invalid image reference"},
	} {
		got, err := parseRef(tc.ref)
		errText := ""
		if err != nil {
			errText = err.Error()
		}
		if got != tc.want || !strings.Contains(errText, tc.err) || (tc.err == "") != (err == nil) {
			t.Errorf("parseRef(%q) = %q, %v; want %q, error containing %q", tc.ref, got, err, tc.want, tc.err)
		}
	}
}
