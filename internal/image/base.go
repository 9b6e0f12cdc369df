package image

import (
	"fmt"
	"maps"
	"slices"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// baseLayerTypes maps the media types of the layers a base image may have
// to their OCI media types: the blobs are the same, so are their digests.
var baseLayerTypes = map[types.MediaType]types.MediaType{
	types.DockerLayer:             types.OCILayer,
	types.OCILayer:                types.OCILayer,
	types.OCILayerZStd:            types.OCILayerZStd,
	types.DockerUncompressedLayer: types.OCIUncompressedLayer,
	types.OCIUncompressedLayer:    types.OCIUncompressedLayer,
}

// AssembleOn is Assemble with the layers of base first, blob for blob,
// with their history entries: the image is base with layers on top. Its
// config is base's, with the fields that cfg holds (the platform, Env,
// User, WorkingDir, Cmd, Entrypoint and Labels) replaced by cfg's, so
// that what cfg does not set, such as the exposed ports, volumes or stop
// signal, is base's; the fields that describe how base was made (author,
// container, docker_version) are left out. cfg's
// platform must be base's. The manifest and config have OCI media types
// whatever base's: a Docker base's layers are the same blobs under their
// OCI names. The same inputs give the same digest.
func AssembleOn(base v1.Image, cfg Config, layers []Layer) (v1.Image, error) {
	img, err := assembleOn(base, cfg, layers)
	if err != nil {
		return nil, fmt.Errorf("assembling the image on its base: %w", err)
	}
	return img, nil
}

func assembleOn(base v1.Image, cfg Config, layers []Layer) (v1.Image, error) {
	if cfg.OS == "" {
		cfg.OS = "linux"
	}
	bcf, err := base.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the base's config: %w", err)
	}
	if bcf.OS != cfg.OS || bcf.Architecture != cfg.Architecture || bcf.Variant != "" && cfg.Variant != "" && bcf.Variant != cfg.Variant {
		return nil, fmt.Errorf("the base is an image for %s, not %s", bcf.Platform(), (&v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant}).String())
	}
	baseLayers, err := base.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the base's layers: %w", err)
	}
	var adds []mutate.Addendum
	for i, l := range baseLayers {
		mt, err := l.MediaType()
		if err != nil {
			return nil, fmt.Errorf("base layer %d: %w", i, err)
		}
		oci, ok := baseLayerTypes[mt]
		if !ok {
			return nil, fmt.Errorf("base layer %d has media type %s, which nixlayer cannot put in an OCI image", i, mt)
		}
		adds = append(adds, mutate.Addendum{Layer: retyped{l, oci}, MediaType: oci})
	}
	created := v1.Time{Time: modTime(cfg.Created)}
	own, err := addenda(layers, created)
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(emptyOCI(), append(adds, own...)...)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Created = created
	cf.OS, cf.Architecture, cf.Variant, cf.OSVersion, cf.OSFeatures = cfg.OS, cfg.Architecture, bcf.Variant, bcf.OSVersion, slices.Clone(bcf.OSFeatures)
	if cfg.Variant != "" {
		cf.Variant = cfg.Variant
	}
	cf.History = append(baseHistory(bcf, len(baseLayers)), cf.History[len(baseLayers):]...)
	c := *bcf.Config.DeepCopy()
	c.Env, c.User, c.WorkingDir = slices.Clone(cfg.Env), cfg.User, cfg.WorkingDir
	c.Cmd, c.Entrypoint, c.Labels = slices.Clone(cfg.Cmd), slices.Clone(cfg.Entrypoint), maps.Clone(cfg.Labels)
	cf.Config = c
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, err
	}
	if _, err := img.Digest(); err != nil { // computes the manifest now, so that errors surface here
		return nil, err
	}
	return img, nil
}

// retyped is a layer under another media type of the same blob.
type retyped struct {
	v1.Layer
	mediaType types.MediaType
}

func (l retyped) MediaType() (types.MediaType, error) { return l.mediaType, nil }

// baseHistory is the history of the base's layers: the base's own, with
// its entries of no layer, when it has one entry for each of its n
// layers, or else one entry per layer saying it is the base's.
func baseHistory(bcf *v1.ConfigFile, n int) []v1.History {
	layers := 0
	for _, h := range bcf.History {
		if !h.EmptyLayer {
			layers++
		}
	}
	if layers == n {
		return slices.Clone(bcf.History)
	}
	out := make([]v1.History, n)
	for i := range out {
		out[i] = v1.History{Created: bcf.Created, Comment: "a layer of the base image"}
	}
	return out
}
