package image

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
)

// storeLayer is a layer made of cached gzip members: the prefix member,
// the members of its store paths and the trailer member, concatenated.
type storeLayer struct {
	cache   *Cache
	key     string
	prefix  member
	trailer member
	parts   []part
	size    int64     // the sum of the sizes of the members
	meta    layerMeta // set once the layer is complete
}

// part is a store path in a storeLayer.
type part struct {
	path  string
	key   string
	meta  pathMeta
	fresh bool // compressed by this process, so its content is known to be right
}

var _ v1.Layer = (*storeLayer)(nil)

// newStoreLayer returns the layer of l, whose paths are in c, without its
// metadata.
func newStoreLayer(c *Cache, l *planLayer, prefix, trailer member) *storeLayer {
	sl := &storeLayer{cache: c, key: l.key, prefix: prefix, trailer: trailer}
	sl.size = int64(len(prefix.gz) + len(trailer.gz))
	for _, p := range l.paths {
		sl.parts = append(sl.parts, part{path: p.Path, key: p.key, meta: p.meta, fresh: p.compressed})
		sl.size += p.meta.Size
	}
	return sl
}

// Digest returns the sha256 digest of the compressed layer.
func (l *storeLayer) Digest() (v1.Hash, error) { return l.meta.Digest, nil }

// DiffID returns the sha256 digest of the uncompressed layer.
func (l *storeLayer) DiffID() (v1.Hash, error) { return l.meta.DiffID, nil }

// Size returns the size of the compressed layer.
func (l *storeLayer) Size() (int64, error) { return l.meta.Size, nil }

// MediaType returns the media type of an OCI gzip layer.
func (l *storeLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }

// uncompressedSize returns the size of the layer's tar archive.
func (l *storeLayer) uncompressedSize() int64 {
	n := int64(len(l.prefix.raw) + len(l.trailer.raw))
	for _, p := range l.parts {
		n += p.meta.UncompressedSize
	}
	return n
}

// ErrCorrupt is matched (with errors.Is) by the error of reading a layer
// whose cache entries do not hold what their metadata says. The entries
// have been removed by then, so assembling the image again compresses
// those store paths again, into the same layer.
var ErrCorrupt = errors.New("corrupt cache entry")

// corruptError is the error of reading cache entries that do not hold what
// their metadata says.
type corruptError struct {
	paths []string
	err   error
}

func (e *corruptError) Error() string {
	if len(e.paths) == 1 {
		return fmt.Sprintf("cache entry of %s is corrupt (%v); it has been removed", e.paths[0], e.err)
	}
	return fmt.Sprintf("cache entries of %s are corrupt (%v); they have been removed", strings.Join(e.paths, ", "), e.err)
}

func (e *corruptError) Unwrap() []error { return []error{ErrCorrupt, e.err} }

// corrupt removes the cache entry of p, and the layer's, and returns an
// error saying so.
func (l *storeLayer) corrupt(p part, err error) error {
	l.cache.removePath(p.key)
	l.cache.removeLayer(l.key)
	return &corruptError{paths: []string{p.path}, err: err}
}

// openPart opens the compressed member of p, checking its content as it is
// read if verify is set.
func (l *storeLayer) openPart(p part, verify bool) (io.ReadCloser, error) {
	f, err := os.Open(l.cache.blobFile(p.key))
	if err != nil {
		return nil, l.corrupt(p, err)
	}
	if !verify {
		return f, nil
	}
	vr := newVerifyReader(f, p.meta.Digest, p.meta.Size, func(got v1.Hash, n int64) error {
		return l.corrupt(p, fmt.Errorf("digest %s and %d bytes, want %s and %d bytes", got, n, p.meta.Digest, p.meta.Size))
	})
	return readCloser{vr, f.Close}, nil
}

// Compressed returns the gzip stream of the layer, read from the cache
// files one after the other. Reading fails if the stream does not have the
// layer's digest; then the cache entries that caused it are removed.
func (l *storeLayer) Compressed() (io.ReadCloser, error) {
	var closers []*lazyReader
	readers := []io.Reader{bytes.NewReader(l.prefix.gz)}
	for _, p := range l.parts {
		z := &lazyReader{open: func() (io.ReadCloser, error) { return l.openPart(p, false) }}
		closers = append(closers, z)
		readers = append(readers, z)
	}
	readers = append(readers, bytes.NewReader(l.trailer.gz))
	vr := newVerifyReader(io.MultiReader(readers...), l.meta.Digest, l.meta.Size, l.mismatch)
	return readCloser{vr, func() error {
		for _, z := range closers {
			z.Close()
		}
		return nil
	}}, nil
}

// checksContent marks storeLayer as a layer whose readers check their
// content.
func (l *storeLayer) checksContent() {}

// mismatch is called when the layer's content does not have its digest. It
// finds the cache entries of store paths that do not have theirs, removes
// them and the layer's metadata, and returns an error naming them.
func (l *storeLayer) mismatch(got v1.Hash, n int64) error {
	l.cache.removeLayer(l.key)
	var bad []string
	for _, p := range l.parts {
		if !l.cache.verifyPath(p.key, p.meta) {
			l.cache.removePath(p.key)
			bad = append(bad, p.path)
		}
	}
	if len(bad) > 0 {
		return &corruptError{paths: bad, err: fmt.Errorf("layer has digest %s, want %s", got, l.meta.Digest)}
	}
	return fmt.Errorf("cached layer has digest %s and %d bytes, want %s and %d bytes; its cache entry has been removed", got, n, l.meta.Digest, l.meta.Size)
}

// Uncompressed returns the tar archive of the layer, decompressed from
// Compressed. Reading fails if it does not have the recorded diff ID.
func (l *storeLayer) Uncompressed() (io.ReadCloser, error) {
	rc, err := l.Compressed()
	if err != nil {
		return nil, err
	}
	gz, err := gzip.NewReader(rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	vr := newVerifyReader(gz, l.meta.DiffID, l.uncompressedSize(), func(got v1.Hash, n int64) error {
		return fmt.Errorf("layer %s decompresses to diff ID %s and %d bytes, want %s and %d bytes", l.meta.Digest, got, n, l.meta.DiffID, l.uncompressedSize())
	})
	return readCloser{vr, func() error {
		gz.Close()
		return rc.Close()
	}}, nil
}

// compute reads the compressed members of the layer, checking them, and
// returns the layer's digests and size.
func (l *storeLayer) compute(ctx context.Context) (layerMeta, error) {
	dh, uh := sha256.New(), sha256.New()
	dh.Write(l.prefix.gz)
	uh.Write(l.prefix.raw)
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	for _, p := range l.parts {
		if err := l.hashPart(ctx, p, dh, uh, *buf); err != nil {
			return layerMeta{}, err
		}
	}
	dh.Write(l.trailer.gz)
	uh.Write(l.trailer.raw)
	return layerMeta{Digest: sha256Hash(dh), DiffID: sha256Hash(uh), Size: l.size}, nil
}

// hashPart writes the compressed member of p to dh and its decompressed
// content to uh.
func (l *storeLayer) hashPart(ctx context.Context, p part, dh, uh io.Writer, buf []byte) error {
	rc, err := l.openPart(p, !p.fresh)
	if err != nil {
		return err
	}
	defer rc.Close()
	src := io.TeeReader(ctxReader{ctx, rc}, dh)
	gz, err := gzip.NewReader(src)
	if err == nil {
		var n int64
		n, err = io.CopyBuffer(uh, gz, buf)
		if err == nil && n != p.meta.UncompressedSize {
			err = fmt.Errorf("it decompresses to %d bytes, want %d", n, p.meta.UncompressedSize)
		}
		if err == nil {
			_, err = io.CopyBuffer(io.Discard, src, buf) // nothing should be left, but it must be checked
		}
	}
	var ce *corruptError
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &ce):
		return err
	}
	return l.corrupt(p, err)
}

// readCloser is a reader with a close function.
type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// lazyReader opens its reader on the first read and closes it at its end,
// so that a reader of many files holds at most one open.
type lazyReader struct {
	open func() (io.ReadCloser, error)
	rc   io.ReadCloser
	done bool
}

func (z *lazyReader) Read(p []byte) (int, error) {
	if z.done {
		return 0, io.EOF
	}
	if z.rc == nil {
		rc, err := z.open()
		if err != nil {
			return 0, err
		}
		z.rc = rc
	}
	n, err := z.rc.Read(p)
	if err == io.EOF {
		z.Close()
	}
	return n, err
}

// Close closes the reader if it is open; reading after Close gives io.EOF.
func (z *lazyReader) Close() {
	z.done = true
	if z.rc != nil {
		z.rc.Close()
		z.rc = nil
	}
}
