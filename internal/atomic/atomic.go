package atomic

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Marker is part of the name of every temporary file and directory this
// package makes, so that they are never mistaken for real entries.
const Marker = ".tmp-"

// IsTemp reports whether name is the base name of a temporary file or
// directory made by this package.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, Marker)
}

// TempPattern is the os.CreateTemp pattern of temporary names for path.
func TempPattern(path string) string {
	return "." + filepath.Base(path) + Marker + "*"
}

// File is a file being written under a temporary name in the directory of
// its final path. Commit syncs it and renames it into place.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing the file at path, under a temporary name that it
// locks until Commit or Abort.
func Create(path string) (*File, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, TempPattern(path))
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, path: path}, nil
}

// Commit makes the file, with permissions perm, visible at its final path,
// replacing any file there, and syncs the directory.
func (a *File) Commit(perm fs.FileMode) error {
	a.done = true
	tmp := a.Name()
	err := a.Chmod(perm)
	if err == nil {
		err = a.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return SyncDir(filepath.Dir(a.path))
}

// Abort removes the temporary file unless the file has been committed. It
// is meant to be deferred.
func (a *File) Abort() {
	if a.done {
		return
	}
	a.done = true
	_ = a.Close()
	_ = os.Remove(a.Name())
}

// WriteFile writes data to path atomically, with permissions perm,
// making its directory when needed.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit(perm)
}

// Dir is a directory being written under a temporary name beside its
// final path, locked while it is written.
type Dir struct {
	// Path is the temporary directory to fill.
	Path string
	lock *os.File
}

// MkdirTemp makes a temporary directory for the directory at path, in the
// directory that will hold it, with a suffix such as "old-" or "".
func MkdirTemp(path, suffix string) (*Dir, error) {
	parent := filepath.Dir(path)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(path)+Marker+suffix+"*")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(tmp)
	if err == nil {
		err = lock(f)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Dir{Path: tmp, lock: f}, nil
}

// WorkDirName names the work directories of nixlayer's runs (builds,
// updates, scans, shells) under the temporary directory.
const WorkDirName = "nixlayer-work"

// WorkDir makes a temporary work directory for a run in tmp (the
// system's temporary directory when ""), named after WorkDirName, locked
// while the run holds it, after removing those of earlier runs that were
// killed (see Sweep): a run killed with SIGKILL cannot remove its own. Its
// name starts with a dot, so that copies of the directory that holds it,
// such as an overlay's when TMPDIR is inside a project, leave it out.
func WorkDir(tmp string) (*Dir, error) {
	if tmp == "" {
		tmp = os.TempDir() // as os.MkdirTemp takes ""
	}
	Sweep(tmp, WorkDirName)
	return MkdirTemp(filepath.Join(tmp, WorkDirName), "")
}

// Release drops the lock on the directory, after it has been renamed into
// place or removed.
func (d *Dir) Release() { d.lock.Close() }

// RemoveAll removes the temporary directory and drops its lock.
func (d *Dir) RemoveAll() {
	_ = os.RemoveAll(d.Path)
	d.Release()
}

// ReplaceDir renames the directory tmp (such as a Dir's Path) to dir,
// replacing any directory there. The old directory is first moved aside
// and restored if the rename fails, so that dir is never a mix of both.
func ReplaceDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	base := filepath.Base(filepath.Clean(dir))
	oldDir, err := MkdirTemp(dir, "old-")
	if err != nil {
		return err
	}
	defer oldDir.Release()
	old := oldDir.Path
	aside := filepath.Join(old, base)
	if err := os.Rename(dir, aside); err != nil {
		_ = os.Remove(old)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(aside, dir); rerr != nil {
			return fmt.Errorf("%w; the previous directory is in %s", err, aside)
		}
		_ = os.Remove(old)
		return err
	}
	_ = os.RemoveAll(old)
	return nil
}

// lock takes an exclusive lock on f, which its holder keeps while it
// writes; a file system without flock is not an error (Sweep then goes by
// age alone).
func lock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EINVAL) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return nil
}

// SyncDir flushes the entries of directory dir to disk, so that a rename
// into it survives a crash.
func SyncDir(dir string) error {
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

// Grace is how old an unlocked temporary entry must be before Sweep
// removes it: a writer locks its entry just after making it.
const Grace = time.Minute

// MaxAge is how old a temporary entry must be before Sweep removes it
// where its lock cannot be read, such as on a file system without flock.
const MaxAge = time.Hour

// Sweep removes the temporary entries in dir whose writer is gone: those
// not locked that are older than Grace, and those older than MaxAge where
// the lock cannot be read. With base set, it removes only the entries
// made for the path dir/base (an output of the build, next to the user's
// other files). It returns the names it removed; errors only mean that an
// entry stays.
func Sweep(dir, base string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	now := time.Now()
	for _, e := range entries {
		name := e.Name()
		if !IsTemp(name) || base != "" && !strings.HasPrefix(name, "."+base+Marker) {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < Grace {
			continue
		}
		p := filepath.Join(dir, name)
		if gone, known := writerGone(p); gone || !known && now.Sub(info.ModTime()) > MaxAge {
			if os.RemoveAll(p) == nil {
				removed = append(removed, name)
			}
		}
	}
	return removed
}

// writerGone reports whether the writer of the temporary entry p is gone
// (p can be locked), and whether that is known: not where the file system
// has no flock.
func writerGone(p string) (gone, known bool) {
	f, err := os.Open(p)
	if err != nil {
		return false, false
	}
	defer f.Close()
	switch err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); {
	case err == nil:
		return true, true
	case errors.Is(err, syscall.EWOULDBLOCK):
		return false, true
	}
	return false, false
}
