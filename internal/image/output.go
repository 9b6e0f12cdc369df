package image

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// AnnotationRefName is the annotation of the manifest descriptor in an
// image layout's index.json that names the image.
const AnnotationRefName = "org.opencontainers.image.ref.name"

// ociLayout is the content of the oci-layout file of an image layout.
const ociLayout = `{"imageLayoutVersion":"1.0.0"}` + "\n"

// parseRef checks that ref is a reference with a tag, or without one (then
// the tag is "latest"), and returns it in the form Docker expects in
// RepoTags, such as "example.com/app:1.0".
func parseRef(ref string) (string, error) {
	t, err := name.NewTag(ref)
	if err != nil {
		return "", fmt.Errorf("invalid image reference %q: %w", ref, err)
	}
	if strings.HasSuffix(ref, ":"+t.TagStr()) {
		return ref, nil
	}
	return ref + ":" + t.TagStr(), nil // no tag given
}

// imageParts is an image as the blobs and metadata files to write.
type imageParts struct {
	manifest  blob
	config    blob
	layers    []blob // in manifest order, with duplicates
	mediaType types.MediaType
	created   time.Time
}

// prepareOutput checks ref and ctx and reads img, for the writers: it
// returns img's parts, the reference with its tag, and index.json.
func prepareOutput(ctx context.Context, img v1.Image, ref string) (p *imageParts, tag string, index []byte, err error) {
	if tag, err = parseRef(ref); err != nil {
		return nil, "", nil, err
	}
	if err = ctx.Err(); err != nil {
		return nil, "", nil, err
	}
	if p, err = readImage(img); err != nil {
		return nil, "", nil, err
	}
	if index, err = p.indexJSON(tag); err != nil {
		return nil, "", nil, err
	}
	return p, tag, index, nil
}

// readImage returns the parts of img.
func readImage(img v1.Image) (*imageParts, error) {
	rawManifest, err := img.RawManifest()
	if err != nil {
		return nil, err
	}
	m, err := v1.ParseManifest(bytes.NewReader(rawManifest))
	if err != nil {
		return nil, err
	}
	rawConfig, err := img.RawConfigFile()
	if err != nil {
		return nil, err
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(rawConfig))
	if err != nil {
		return nil, err
	}
	mt, err := img.MediaType()
	if err != nil {
		return nil, err
	}
	p := &imageParts{mediaType: mt, created: modTime(cf.Created.Time)}
	p.manifest = inMemory(rawManifest)
	p.config = inMemory(rawConfig)
	if p.config.digest != m.Config.Digest {
		return nil, fmt.Errorf("config has digest %s but the manifest says %s", p.config.digest, m.Config.Digest)
	}
	for _, d := range m.Layers {
		l, err := img.LayerByDigest(d.Digest)
		if err != nil {
			return nil, err
		}
		_, checked := l.(selfChecking)
		p.layers = append(p.layers, blob{digest: d.Digest, size: d.Size, open: l.Compressed, checked: checked})
	}
	return p, nil
}

// inMemory returns the blob of data.
func inMemory(data []byte) blob {
	d, n, _ := v1.SHA256(bytes.NewReader(data)) // reading memory does not fail
	return blob{digest: d, size: n, checked: true, open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// blobs returns the distinct blobs of the image: config, manifest and the
// layers in order.
func (p *imageParts) blobs() []blob {
	return distinct(append([]blob{p.config, p.manifest}, p.layers...))
}

// distinct returns bs without repeated digests, in order.
func distinct(bs []blob) []blob {
	seen := map[v1.Hash]bool{}
	var out []blob
	for _, b := range bs {
		if !seen[b.digest] {
			seen[b.digest] = true
			out = append(out, b)
		}
	}
	return out
}

// descriptorOf is the descriptor of the manifest or index b, of media
// type mt.
func descriptorOf(mt types.MediaType, b blob) v1.Descriptor {
	return v1.Descriptor{MediaType: mt, Size: b.size, Digest: b.digest}
}

// indexJSON returns the index.json of an image layout holding the image,
// named ref.
func (p *imageParts) indexJSON(ref string) ([]byte, error) {
	return indexJSON(descriptorOf(p.mediaType, p.manifest), ref)
}

// indexJSON returns the index.json of an image layout whose one manifest,
// named ref, is d: an image's or an image index's.
func indexJSON(d v1.Descriptor, ref string) ([]byte, error) {
	d.Annotations = map[string]string{AnnotationRefName: ref}
	idx := v1.IndexManifest{
		SchemaVersion: 2,
		MediaType:     types.OCIImageIndex,
		Manifests:     []v1.Descriptor{d},
	}
	data, err := json.Marshal(idx)
	return append(data, '\n'), err
}

// dockerManifest is an entry of the manifest.json of a docker save archive.
type dockerManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// dockerManifestJSON returns the manifest.json that docker load reads,
// naming the image ref.
func (p *imageParts) dockerManifestJSON(ref string) ([]byte, error) {
	m := dockerManifest{Config: blobPath(p.config.digest), RepoTags: []string{ref}, Layers: []string{}}
	for _, l := range p.layers {
		m.Layers = append(m.Layers, blobPath(l.digest))
	}
	data, err := json.Marshal([]dockerManifest{m})
	return append(data, '\n'), err
}

// blobPath returns the path of the blob with digest d in an image layout.
func blobPath(d v1.Hash) string {
	return "blobs/" + d.Algorithm + "/" + d.Hex
}
