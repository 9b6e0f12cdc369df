package image

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Registry says how Push reaches a registry.
type Registry struct {
	// Username and Password, when Username is set, log in to every
	// registry pushed to; otherwise Docker's credentials (config.json and
	// its credential helpers) are used, as docker push would.
	Username, Password string
	// Transport, when set, carries the requests, such as a test's
	// counting transport.
	Transport remote.Option
}

func (r Registry) options(ctx context.Context) []remote.Option {
	opts := []remote.Option{remote.WithContext(ctx), remote.WithUserAgent("nixlayer")}
	if r.Username != "" {
		opts = append(opts, remote.WithAuth(&authn.Basic{Username: r.Username, Password: r.Password}))
	} else {
		opts = append(opts, remote.WithAuthFromKeychain(authn.DefaultKeychain))
	}
	if r.Transport != nil {
		opts = append(opts, r.Transport)
	}
	return opts
}

// Push pushes imgs to each of refs and returns, for each, the reference
// with the digest pushed, such as "ghcr.io/acme/app:1@sha256:…": one image
// as its manifest, several as their image index (see NewIndex). The
// manifests are pushed byte for byte as they are, so their digests are
// the ones nixlayer build wrote. The registry is asked for every blob
// before it is sent, so blobs it has, such as the store layers of an
// earlier push, are not uploaded again; references after the first are
// only tagged.
func Push(ctx context.Context, imgs []v1.Image, refs []string, reg Registry) ([]string, error) {
	if len(imgs) == 0 || len(refs) == 0 {
		return nil, fmt.Errorf("pushing: nothing to push")
	}
	parsed := make([]name.Tag, len(refs))
	for i, r := range refs {
		t, err := name.NewTag(r)
		if err != nil {
			return nil, fmt.Errorf("pushing to %s: %w", r, err)
		}
		parsed[i] = t
	}
	var taggable remote.Taggable
	var digest v1.Hash
	var err error
	opts := reg.options(ctx)
	if len(imgs) == 1 {
		taggable = imgs[0]
		if digest, err = imgs[0].Digest(); err == nil {
			err = remote.Write(parsed[0], imgs[0], opts...)
		}
	} else {
		var idx v1.ImageIndex
		if idx, err = NewIndex(imgs); err == nil {
			taggable = idx
			if digest, err = idx.Digest(); err == nil {
				err = remote.WriteIndex(parsed[0], idx, opts...)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("pushing to %s: %w", refs[0], err)
	}
	out := []string{refs[0] + "@" + digest.String()}
	for i, t := range parsed[1:] {
		if err := remote.Tag(t, taggable, opts...); err != nil {
			return nil, fmt.Errorf("tagging %s: %w", refs[i+1], err)
		}
		out = append(out, refs[i+1]+"@"+digest.String())
	}
	return out, nil
}
