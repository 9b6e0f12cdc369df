package image

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/atomic"
	"golang.org/x/sync/errgroup"
)

// WriteLayout writes img, named ref, as an OCI image layout in the
// directory dir: the files oci-layout and index.json, whose one manifest
// has the annotation AnnotationRefName with ref, and blobs/sha256/ with the
// config, manifest and layers. Layers are streamed and checked against
// their digests.
//
// ref is a reference such as example.com/app:1.0; without a tag, the tag is
// "latest". An invalid ref is an error before any work. The layout is
// written to a temporary directory next to dir and renamed into place, so
// that on an error, or when ctx is done, nothing remains of it. An existing
// dir is replaced only when it is empty or an image layout, and is left as
// it was on an error.
func WriteLayout(ctx context.Context, img v1.Image, dir, ref string) error {
	if err := writeLayout(ctx, img, dir, ref); err != nil {
		return fmt.Errorf("writing image layout %s: %w", dir, err)
	}
	return nil
}

func writeLayout(ctx context.Context, img v1.Image, dir, ref string) error {
	p, _, index, err := prepareOutput(ctx, img, ref)
	if err != nil {
		return err
	}
	return writeLayoutDir(ctx, dir, p.blobs(), index)
}

// writeLayoutDir writes the layout of blobs with index (index.json) to
// dir, through a temporary directory beside it.
func writeLayoutDir(ctx context.Context, dir string, blobs []blob, index []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkReplaceable(dir); err != nil {
		return err
	}
	dir = filepath.Clean(dir)
	if sameLayout(ctx, dir, blobs, index) {
		// A rebuild of the same image: the layout holds it already.
		return nil
	}
	tmp, err := atomic.MkdirTemp(dir, "")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.RemoveAll()
		}
	}()
	if err := fillLayout(ctx, tmp.Path, blobs, index); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := atomic.ReplaceDir(tmp.Path, dir); err != nil {
		return err
	}
	done = true
	tmp.Release()
	return atomic.SyncDir(filepath.Dir(dir))
}

// CheckLayoutDir returns an error unless dir is missing, an empty
// directory or an image layout that holds nothing but images named ref:
// what writing ref's layout may replace. skopeo and umoci add an image to
// a layout; a writer that replaces the layout must not drop the others
// silently.
func CheckLayoutDir(dir, ref string) error {
	if err := checkReplaceable(dir); err != nil {
		return err
	}
	tag, err := parseRef(ref)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("reading its index.json: %w", err)
	}
	var others []string
	for _, d := range idx.Manifests {
		if name := d.Annotations[AnnotationRefName]; name != tag {
			others = append(others, cmp.Or(name, "an unnamed "+string(d.MediaType)))
		}
	}
	if len(others) > 0 {
		return fmt.Errorf("it holds %s, which writing %s would drop; give another directory, or the same --tag", strings.Join(others, ", "), tag)
	}
	return nil
}

// checkReplaceable returns an error unless dir is missing, an empty
// directory or an image layout.
func checkReplaceable(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("it exists and is not a directory")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if fi, err := os.Lstat(filepath.Join(dir, "oci-layout")); err == nil && fi.Mode().IsRegular() {
		return nil
	}
	return errors.New("refusing to replace a directory that is not an image layout")
}

// fillLayout writes the files of an image layout of blobs into the empty
// directory dir, writing blobs in parallel, and syncs them.
func fillLayout(ctx context.Context, dir string, blobs []blob, index []byte) error {
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	blobDir := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobDir, 0o755); err != nil {
		return err
	}
	if err := writeLayoutFile(ctx, filepath.Join(dir, "oci-layout"), inMemory([]byte(ociLayout))); err != nil {
		return err
	}
	if err := writeLayoutFile(ctx, filepath.Join(dir, "index.json"), inMemory(index)); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, b := range blobs {
		g.Go(func() error {
			return writeLayoutFile(gctx, filepath.Join(dir, filepath.FromSlash(blobPath(b.digest))), b)
		})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	for _, d := range []string{blobDir, filepath.Dir(blobDir), dir} {
		if err := atomic.SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// writeLayoutFile writes the content of b to the new file path and syncs
// it.
func writeLayoutFile(ctx context.Context, path string, b blob) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := copyBlob(ctx, bw, b); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// sameLayout reports whether dir is already the layout of blobs with
// index: the same oci-layout and index.json, and exactly these blobs, each
// with its digest. Reading is cheaper than writing and syncing again, and a
// damaged blob makes the layout not the same, so it is written anew.
func sameLayout(ctx context.Context, dir string, blobs []blob, index []byte) bool {
	for name, want := range map[string]string{"oci-layout": ociLayout, "index.json": string(index)} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(data) != want {
			return false
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil || len(entries) != len(blobs) {
		return false
	}
	for _, b := range blobs {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(blobPath(b.digest))))
		if err != nil {
			return false
		}
		_, err = io.Copy(io.Discard, newVerifyReader(ctxReader{ctx, f}, b.digest, b.size, nil))
		f.Close()
		if err != nil {
			return false
		}
	}
	return true
}
