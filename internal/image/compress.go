package image

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nixlayer/nixlayer/internal/atomic"
)

// gzipWriters holds gzip writers for reuse: each holds about a megabyte of
// state, and a closure has thousands of store paths. They compress at the
// default level; changing the level changes every digest, so formatVersion
// must change with it.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// fileBufs holds the write buffers of cache files, which would otherwise
// be allocated anew for each store path.
var fileBufs = sync.Pool{New: func() any { return bufio.NewWriterSize(io.Discard, 512<<10) }}

// gzipMember writes one gzip member to w with the output of write, which
// writes uncompressed bytes. It returns the number of uncompressed bytes.
// The member's header has no name and no time, so that its bytes depend on
// its content alone.
func gzipMember(w io.Writer, write func(io.Writer) error) (int64, error) {
	gz := gzipWriters.Get().(*gzip.Writer)
	gz.Reset(w)
	defer func() {
		gz.Reset(io.Discard)
		gzipWriters.Put(gz)
	}()
	cw := &countWriter{w: gz}
	if err := write(cw); err != nil {
		return 0, err
	}
	if err := gz.Close(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

// tarEntries returns a function that writes the tar entries of the given
// function without the end-of-archive trailer, padded to whole blocks, so
// that the output of several of them concatenates into one archive.
func tarEntries(write func(tw *tar.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		tw := tar.NewWriter(w)
		if err := write(tw); err != nil {
			return err
		}
		return tw.Flush() // not Close: that would write the trailer
	}
}

// member is a gzip member held in memory with the tar bytes it holds, for
// the small pieces that start and end every store layer.
type member struct {
	gz  []byte
	raw []byte
}

// newMember compresses raw into a member.
func newMember(raw []byte) (member, error) {
	var buf bytes.Buffer
	_, err := gzipMember(&buf, func(w io.Writer) error {
		_, err := w.Write(raw)
		return err
	})
	return member{gz: buf.Bytes(), raw: raw}, err
}

// trailerMember returns the last member of every store layer: the two zero
// blocks that end a tar archive.
func trailerMember() (member, error) {
	return newMember(make([]byte, 1024))
}

// prefixMember returns the first member of every store layer: the entries
// of the directories nix/ and nix/store/.
func prefixMember(mtime time.Time) (member, error) {
	var raw bytes.Buffer
	err := tarEntries(func(tw *tar.Writer) error {
		for _, h := range storeParents(mtime) {
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
		}
		return nil
	})(&raw)
	if err != nil {
		return member{}, err
	}
	return newMember(raw.Bytes())
}

// layerTee receives the bytes of a store path's member as it is
// compressed, so that the digests of a layer holding that path alone are
// known without reading the member again.
type layerTee struct {
	compressed, raw hash.Hash
}

// newLayerTee returns a layerTee for the layer that starts with prefix.
func newLayerTee(prefix member) *layerTee {
	t := &layerTee{compressed: sha256.New(), raw: sha256.New()}
	t.compressed.Write(prefix.gz)
	t.raw.Write(prefix.raw)
	return t
}

// layerMeta returns the metadata of the layer made of prefix, the member of
// m, which the tee has received, and trailer.
func (t *layerTee) layerMeta(prefix, trailer member, m pathMeta) layerMeta {
	t.compressed.Write(trailer.gz)
	t.raw.Write(trailer.raw)
	return layerMeta{
		Digest: sha256Hash(t.compressed),
		DiffID: sha256Hash(t.raw),
		Size:   int64(len(prefix.gz)+len(trailer.gz)) + m.Size,
	}
}

// compressPath writes the cache entry under key for the store path p, whose
// files are at disk: a gzip member of its tar entries, streamed from the
// files to a temporary file while hashing, then its metadata. Either write
// is atomic, and the metadata comes last, so that an interrupted call
// leaves no entry. If tee is not nil, it also receives the compressed and
// the uncompressed bytes.
func (c *Cache) compressPath(ctx context.Context, key string, p StorePath, disk string, mtime time.Time, tee *layerTee) (pathMeta, error) {
	f, err := atomic.Create(c.blobFile(key))
	if err != nil {
		return pathMeta{}, err
	}
	defer f.Abort()
	bw := fileBufs.Get().(*bufio.Writer)
	bw.Reset(f)
	defer func() {
		bw.Reset(io.Discard)
		fileBufs.Put(bw)
	}()
	h := sha256.New()
	dst := io.MultiWriter(bw, h)
	if tee != nil {
		dst = io.MultiWriter(bw, h, tee.compressed)
	}
	out := &countWriter{w: dst}
	raw, err := gzipMember(out, func(w io.Writer) error {
		if tee != nil {
			w = io.MultiWriter(w, tee.raw)
		}
		return tarEntries(func(tw *tar.Writer) error {
			return writeStorePath(ctx, tw, disk, p.Path, mtime)
		})(w)
	})
	if err != nil {
		return pathMeta{}, err
	}
	if err := bw.Flush(); err != nil {
		return pathMeta{}, err
	}
	if err := ctx.Err(); err != nil {
		return pathMeta{}, err
	}
	if err := f.Commit(0o644); err != nil {
		return pathMeta{}, fmt.Errorf("writing cache entry: %w", err)
	}
	m := pathMeta{StorePath: p.Path, NarHash: p.NarHash, Digest: sha256Hash(h), Size: out.n, UncompressedSize: raw}
	if err := writeJSON(c.pathFile(key), m); err != nil {
		return pathMeta{}, fmt.Errorf("writing cache entry: %w", err)
	}
	return m, nil
}
