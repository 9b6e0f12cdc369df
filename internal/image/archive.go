package image

import (
	"archive/tar"
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/atomic"
)

// WriteArchive writes img, named ref, to file as one tar archive that both
// docker load (including Docker 20.10, which needs a manifest.json) and OCI
// tools (skopeo's oci-archive:, umoci after copying) accept. It holds, in
// this order:
//
//	oci-layout
//	index.json        the image's manifest, annotated with ref
//	manifest.json     [{"Config":"blobs/sha256/<config>","RepoTags":[ref],"Layers":[...]}]
//	blobs/
//	blobs/sha256/
//	blobs/sha256/...  config, manifest and layers, each once
//
// Entries are regular files with mode 0644 and directories with mode 0755,
// owned by root, modified at the image's creation time. Layers are streamed
// and checked against their digests.
//
// ref is a reference such as example.com/app:1.0; without a tag, the tag is
// "latest". An invalid ref is an error before any work. The archive is
// written to a temporary file in the directory of file, synced and renamed
// into place, so that on an error, or when ctx is done, no partial file
// remains and an existing file is left as it was. A link to a file is
// followed; a device or a pipe, such as /dev/null, is written in place
// (see atomic.OpenOutput).
func WriteArchive(ctx context.Context, img v1.Image, file, ref string) error {
	if err := writeArchive(ctx, img, ref, func() (atomic.Output, error) { return atomic.OpenOutput(file) }); err != nil {
		return fmt.Errorf("writing image archive %s: %w", file, err)
	}
	return nil
}

// StreamArchive writes the archive of WriteArchive to w, such as standard
// output, as it is made.
func StreamArchive(ctx context.Context, img v1.Image, w io.Writer, ref string) error {
	if err := writeArchive(ctx, img, ref, func() (atomic.Output, error) { return atomic.Stream(w), nil }); err != nil {
		return fmt.Errorf("writing the image archive: %w", err)
	}
	return nil
}

func writeArchive(ctx context.Context, img v1.Image, ref string, open func() (atomic.Output, error)) error {
	p, tag, index, err := prepareOutput(ctx, img, ref)
	if err != nil {
		return err
	}
	docker, err := p.dockerManifestJSON(tag)
	if err != nil {
		return err
	}
	f, err := open()
	if err != nil {
		return err
	}
	defer f.Abort()
	bw := bufio.NewWriterSize(f, 1<<20)
	aw := &archiveWriter{ctx: ctx, tw: tar.NewWriter(bw), mtime: p.created}
	for _, e := range []struct {
		name string
		data []byte
	}{{"oci-layout", []byte(ociLayout)}, {"index.json", index}, {"manifest.json", docker}} {
		if err := aw.add(e.name, inMemory(e.data)); err != nil {
			return err
		}
	}
	// Directory entries, which extractors would make anyway: skopeo, run
	// by a user other than root, fails on directories it has to imply.
	for _, dir := range []string{"blobs", "blobs/sha256"} {
		if err := aw.tw.WriteHeader(header(tar.TypeDir, dir, 0o755, 0, 0, aw.mtime)); err != nil {
			return err
		}
	}
	for _, b := range p.blobs() {
		if err := aw.add(blobPath(b.digest), b); err != nil {
			return err
		}
	}
	if err := aw.tw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return f.Commit(0o644)
}

// archiveWriter writes the entries of an image archive.
type archiveWriter struct {
	ctx   context.Context
	tw    *tar.Writer
	mtime time.Time
}

// add writes the entry name with the content of b.
func (a *archiveWriter) add(name string, b blob) error {
	h := header(tar.TypeReg, name, 0o644, 0, 0, a.mtime)
	h.Size = b.size
	if err := a.tw.WriteHeader(h); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := copyBlob(a.ctx, a.tw, b); err != nil {
		if a.ctx.Err() != nil {
			return a.ctx.Err()
		}
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
