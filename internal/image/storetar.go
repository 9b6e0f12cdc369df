package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// storeParents returns the headers of the directories nix/ and nix/store/
// that come first in every store layer.
func storeParents(mtime time.Time) []*tar.Header {
	return []*tar.Header{
		header(tar.TypeDir, "nix", 0o755, 0, 0, mtime),
		header(tar.TypeDir, "nix/store", 0o755, 0, 0, mtime),
	}
}

// storeWalker writes the tar entries of one store path.
type storeWalker struct {
	ctx   context.Context
	tw    *tar.Writer
	mtime time.Time
}

// writeStorePath writes the tar entries of the store path p, whose files are
// at disk, to tw: p itself and, for a directory, everything below it in the
// order of a depth-first walk that visits names in byte order. Entries are
// named without the leading slash and owned by root; they keep their
// permission bits but lose setuid, setgid and sticky bits; symbolic links
// stay links and hard links become separate regular files. A socket,
// named pipe or device is an error.
func writeStorePath(ctx context.Context, tw *tar.Writer, disk, p string, mtime time.Time) error {
	fi, err := os.Lstat(disk)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("store path %s is missing (no %s)", p, disk)
		}
		return err
	}
	w := &storeWalker{ctx: ctx, tw: tw, mtime: mtime}
	return w.entry(disk, strings.TrimPrefix(p, "/"), fi)
}

// entry writes the entry named name for the file at disk, whose Lstat
// result is fi, and for a directory the entries below it.
func (w *storeWalker) entry(disk, name string, fi fs.FileInfo) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	m := fi.Mode()
	perm := int64(m.Perm())
	switch {
	case m.IsRegular():
		h := header(tar.TypeReg, name, perm, 0, 0, w.mtime)
		h.Size = fi.Size()
		if err := w.tw.WriteHeader(h); err != nil {
			return fmt.Errorf("writing /%s: %w", name, err)
		}
		return w.contents(disk, name, h.Size)
	case m.IsDir():
		if err := w.tw.WriteHeader(header(tar.TypeDir, name, perm, 0, 0, w.mtime)); err != nil {
			return fmt.Errorf("writing /%s: %w", name, err)
		}
		entries, err := os.ReadDir(disk) // sorted by name
		if err != nil {
			return fmt.Errorf("reading directory /%s: %w", name, err)
		}
		for _, e := range entries {
			info, err := e.Info()
			if err != nil {
				return fmt.Errorf("reading /%s/%s: %w", name, e.Name(), err)
			}
			if err := w.entry(filepath.Join(disk, e.Name()), name+"/"+e.Name(), info); err != nil {
				return err
			}
		}
		return nil
	case m&fs.ModeSymlink != 0:
		target, err := os.Readlink(disk)
		if err != nil {
			return fmt.Errorf("reading link /%s: %w", name, err)
		}
		h := header(tar.TypeSymlink, name, 0o777, 0, 0, w.mtime)
		h.Linkname = target
		if err := w.tw.WriteHeader(h); err != nil {
			return fmt.Errorf("writing /%s: %w", name, err)
		}
		return nil
	default:
		return fmt.Errorf("/%s is a %s, which a store layer cannot hold", name, kind(m))
	}
}

// contents writes the size bytes of the regular file at disk.
func (w *storeWalker) contents(disk, name string, size int64) error {
	f, err := os.Open(disk)
	if err != nil {
		return fmt.Errorf("reading /%s: %w", name, err)
	}
	defer f.Close()
	if err := copyExactly(w.ctx, w.tw, f, size); err != nil {
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		return fmt.Errorf("reading /%s: %w", name, err)
	}
	return nil
}
