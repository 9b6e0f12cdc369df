package image

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// tempMarker is part of the name of every temporary file and directory that
// this package creates next to its outputs and in its cache, so that they
// are never mistaken for real entries.
const tempMarker = ".tmp-"

// atomicFile is a file being written under a temporary name in the
// directory of its final path. Commit syncs it and renames it into place;
// until then, nobody sees a partial file at the final path, even if the
// process is killed.
type atomicFile struct {
	*os.File
	path string
	done bool
}

// createAtomic starts writing the file at path.
func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+tempMarker+"*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit makes the file, with permissions perm, visible at its final path,
// replacing any file there.
func (a *atomicFile) commit(perm fs.FileMode) error {
	a.done = true
	tmp := a.Name()
	err := a.Chmod(perm)
	if err == nil {
		err = a.Sync()
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(a.path))
}

// abort removes the temporary file unless the file has been committed. It
// is meant to be deferred.
func (a *atomicFile) abort() {
	if a.done {
		return
	}
	a.done = true
	_ = a.Close()
	_ = os.Remove(a.Name())
}

// syncDir flushes the entries of directory dir to disk, so that a rename
// into it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) {
		return nil // some filesystems cannot sync directories
	}
	return err
}

// isTemp reports whether name is the name of a temporary file or directory
// made by this package.
func isTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker)
}
