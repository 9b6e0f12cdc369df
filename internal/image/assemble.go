package image

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// AnnotationStorePaths is the key of the layer descriptor annotation that
// lists the store paths of a store layer, one per line.
const AnnotationStorePaths = "org.nixlayer.store-paths"

// Config is the configuration of an image.
type Config struct {
	// OS defaults to "linux". Architecture (such as "amd64" or "arm64") is
	// required; Variant (such as "v8") is optional.
	OS, Architecture, Variant string

	Env        []string
	User       string
	WorkingDir string
	Cmd        []string
	Entrypoint []string
	Labels     map[string]string

	// Created is the creation time of the image and of every layer's
	// history entry, such as the time of SOURCE_DATE_EPOCH or of the lock's
	// lastModified. The zero time stands for one second after the Unix
	// epoch.
	Created time.Time
}

// Layer is a layer of an image with what the image says about it.
type Layer struct {
	// Layer is the layer, gzip-compressed, such as one of
	// Builder.StoreLayers or FilesLayer.
	Layer v1.Layer
	// Annotations annotate the layer's descriptor in the manifest, such
	// as AnnotationStorePaths.
	Annotations map[string]string
	// CreatedBy is the layer's history entry, such as "nixlayer: hello".
	CreatedBy string
}

// StoreLayer is the store layer l, which holds paths in order, as
// nixlayer's images describe it: its descriptor lists the paths
// (AnnotationStorePaths), and its history entry says the kind the layer
// planner gave it (such as "catalog"; see layers.Layer) and how many
// paths it holds. Both are part of the image's digest.
func StoreLayer(l v1.Layer, kind string, paths []string) Layer {
	return Layer{
		Layer:       l,
		Annotations: map[string]string{AnnotationStorePaths: strings.Join(paths, "\n")},
		CreatedBy:   "nixlayer: " + kind + " layer of " + strconv.Itoa(len(paths)) + " store paths",
	}
}

// CustomisationLayer is the customisation layer l of an image of the
// given kind (such as "devcontainer"), with its history entry.
func CustomisationLayer(l v1.Layer, kind string) Layer {
	return Layer{Layer: l, CreatedBy: "nixlayer: " + kind + " customisation"}
}

// Assemble returns the image of cfg made of layers, bottom layer first,
// with OCI media types for its manifest, config and layers, the layers'
// annotations and one history entry per layer. The image is computed from
// its inputs alone: the same inputs give the same digest.
func Assemble(cfg Config, layers []Layer) (v1.Image, error) {
	img, err := assemble(cfg, layers)
	if err != nil {
		return nil, fmt.Errorf("assembling image: %w", err)
	}
	return img, nil
}

func assemble(cfg Config, layers []Layer) (v1.Image, error) {
	if cfg.Architecture == "" {
		return nil, errors.New("no architecture given")
	}
	if cfg.OS == "" {
		cfg.OS = "linux"
	}
	created := v1.Time{Time: modTime(cfg.Created)}
	adds, err := addenda(layers, created)
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(emptyOCI(), adds...)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf.Created = created
	cf.OS = cfg.OS
	cf.Architecture = cfg.Architecture
	cf.Variant = cfg.Variant
	cf.Config = v1.Config{
		Env:        slices.Clone(cfg.Env),
		User:       cfg.User,
		WorkingDir: cfg.WorkingDir,
		Cmd:        slices.Clone(cfg.Cmd),
		Entrypoint: slices.Clone(cfg.Entrypoint),
		Labels:     maps.Clone(cfg.Labels),
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, err
	}
	if _, err := img.Digest(); err != nil { // computes the manifest now, so that errors surface here
		return nil, err
	}
	return img, nil
}

// emptyOCI is the empty image with OCI media types.
func emptyOCI() v1.Image {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	return mutate.ConfigMediaType(img, types.OCIConfigJSON)
}

// addenda are the layers as the addenda of an OCI image, each with its
// history entry, created at created.
func addenda(layers []Layer, created v1.Time) ([]mutate.Addendum, error) {
	adds := make([]mutate.Addendum, len(layers))
	for i, l := range layers {
		if l.Layer == nil {
			return nil, fmt.Errorf("layer %d is missing", i)
		}
		mt, err := l.Layer.MediaType()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		if mt != types.OCILayer && mt != types.DockerLayer {
			return nil, fmt.Errorf("layer %d has media type %s, not that of a gzip layer", i, mt)
		}
		adds[i] = mutate.Addendum{
			Layer:       l.Layer,
			MediaType:   types.OCILayer,
			Annotations: maps.Clone(l.Annotations),
			History:     v1.History{Created: created, CreatedBy: l.CreatedBy},
		}
	}
	return adds, nil
}
