package image

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// plainLayer is a v1.Layer with a media type of choice, for the checks of
// Assemble.
type plainLayer struct {
	v1.Layer
	mediaType types.MediaType
}

func (l plainLayer) MediaType() (types.MediaType, error) { return l.mediaType, nil }

func TestAssemble(t *testing.T) {
	a, err := FilesLayer([]File{{Path: "/a", Mode: 0o644, Data: []byte("a")}}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FilesLayer([]File{{Path: "/b", Mode: 0o644, Data: []byte("b")}}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"k": "v"}
	img, err := Assemble(Config{
		Architecture: "arm64",
		Variant:      "v8",
		Env:          []string{"PATH=/bin"},
		User:         "1000:100",
		WorkingDir:   "/work",
		Cmd:          []string{"hello"},
		Entrypoint:   []string{"/bin/sh", "-c"},
		Labels:       labels,
		Created:      testEpoch.In(time.FixedZone("elsewhere", -3600)),
	}, []Layer{
		{Layer: a, Annotations: map[string]string{AnnotationStorePaths: "/nix/store/x-a\n/nix/store/y-b"}, CreatedBy: "store layer"},
		{Layer: b, CreatedBy: "files"},
	})
	if err != nil {
		t.Fatal(err)
	}
	labels["k"] = "changed after Assemble"
	if err := validate.Image(img); err != nil {
		t.Errorf("validate.Image: %v", err)
	}

	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	var gotLayers []v1.Descriptor
	for _, d := range m.Layers {
		gotLayers = append(gotLayers, v1.Descriptor{MediaType: d.MediaType, Annotations: d.Annotations})
	}
	wantManifest := []any{types.OCIManifestSchema1, types.OCIConfigJSON, []v1.Descriptor{
		{MediaType: types.OCILayer, Annotations: map[string]string{AnnotationStorePaths: "/nix/store/x-a\n/nix/store/y-b"}},
		{MediaType: types.OCILayer},
	}}
	if diff := cmp.Diff(wantManifest, []any{m.MediaType, m.Config.MediaType, gotLayers}); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}

	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	idA, _ := a.DiffID()
	idB, _ := b.DiffID()
	created := v1.Time{Time: testEpoch}
	want := &v1.ConfigFile{
		Architecture: "arm64",
		Variant:      "v8",
		OS:           "linux",
		Created:      created,
		Config: v1.Config{
			Env: []string{"PATH=/bin"}, User: "1000:100", WorkingDir: "/work",
			Cmd: []string{"hello"}, Entrypoint: []string{"/bin/sh", "-c"},
			Labels: map[string]string{"k": "v"},
		},
		RootFS: v1.RootFS{Type: "layers", DiffIDs: []v1.Hash{idA, idB}},
		History: []v1.History{
			{Created: created, CreatedBy: "store layer"},
			{Created: created, CreatedBy: "files"},
		},
	}
	if diff := cmp.Diff(want, cf); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"created":"2026-07-08T22:16:59Z"`) {
		t.Errorf("config %s does not have the creation time in UTC", raw)
	}
}

func TestAssembleErrors(t *testing.T) {
	l, err := FilesLayer(nil, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		cfg    Config
		layers []Layer
		want   string
	}{
		{"no architecture", Config{}, nil, "no architecture"},
		{"missing layer", Config{Architecture: "amd64"}, []Layer{{}}, "layer 0 is missing"},
		{"uncompressed layer", Config{Architecture: "amd64"}, []Layer{{Layer: l}, {Layer: plainLayer{l, types.OCIUncompressedLayer}}}, "layer 1 has media type " + string(types.OCIUncompressedLayer)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Assemble(tc.cfg, tc.layers)
			if err == nil || !strings.HasPrefix(err.Error(), "assembling image: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Assemble: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestAssembleNoLayers(t *testing.T) {
	img, err := Assemble(Config{Architecture: "amd64", OS: "linux"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Image(img); err != nil {
		t.Errorf("validate.Image: %v", err)
	}
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("media type %s, want %s", mt, types.OCIManifestSchema1)
	}
}

// TestNixlayerLayers pins what nixlayer's images say of their layers: the
// store paths of a store layer in its descriptor, and the history entries
// of store and customisation layers. They are part of every image's
// digest, so a change of wording changes every image.
func TestNixlayerLayers(t *testing.T) {
	l, err := FilesLayer(nil, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/nix/store/x-a", "/nix/store/y-b"}
	got := []Layer{StoreLayer(l, "catalog", paths), StoreLayer(l, "extra", paths[:1]), CustomisationLayer(l, "devcontainer")}
	want := []Layer{
		{Layer: l, Annotations: map[string]string{AnnotationStorePaths: "/nix/store/x-a\n/nix/store/y-b"}, CreatedBy: "nixlayer: catalog layer of 2 store paths"},
		{Layer: l, Annotations: map[string]string{AnnotationStorePaths: "/nix/store/x-a"}, CreatedBy: "nixlayer: extra layer of 1 store paths"},
		{Layer: l, CreatedBy: "nixlayer: devcontainer customisation"},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b v1.Layer) bool { return a == b })); diff != "" {
		t.Errorf("the layers (-want +got):\n%s", diff)
	}
}
