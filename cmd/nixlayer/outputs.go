package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/image"
)

// checkArchive checks, before any long work, that the archive file can be
// written: it is not a directory, and its directory exists and takes new
// files. It removes what killed builds left of earlier writes of it.
func checkArchive(file string) error {
	if file == "" {
		return nil
	}
	atomic.Sweep(filepath.Dir(file), filepath.Base(file))
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return usagef("-o %s: it is a directory; give the path of the archive file, such as %s", file, filepath.Join(file, "image.tar"))
	}
	return writableDir("-o", file)
}

// checkLayout checks, before any long work, that the layout directory can
// be written: it is missing, an empty directory or an OCI layout (which is
// replaced), and the directory that holds it takes new files. It removes
// what killed builds left of earlier writes of it.
func checkLayout(dir string) error {
	if dir == "" {
		return nil
	}
	dir = filepath.Clean(dir)
	atomic.Sweep(filepath.Dir(dir), filepath.Base(dir))
	if err := image.CheckLayoutDir(dir); err != nil {
		return usagef("--oci-layout %s: %w", dir, err)
	}
	return writableDir("--oci-layout", dir)
}

// writableDir checks that the directory that will hold out exists and
// takes new files.
func writableDir(flag, out string) error {
	dir := filepath.Dir(out)
	probe, err := os.CreateTemp(dir, atomic.TempPattern(filepath.Join(dir, "nixlayer-probe")))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usagef("%s %s: the directory %s does not exist", flag, out, dir)
		}
		return usagef("%s %s: cannot write in %s: %w", flag, out, dir, errors.Unwrap(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH, or returns 0 when it is unset.
func sourceDateEpoch() (int64, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, usageError{fmt.Errorf("SOURCE_DATE_EPOCH=%q: want a positive number of seconds since 1970", v)}
	}
	return n, nil
}

// cacheDir is --cache, NIXLAYER_CACHE, or nixlayer's user cache directory.
func cacheDir(flag string) (string, error) {
	if dir := firstOf(flag, os.Getenv("NIXLAYER_CACHE")); dir != "" {
		return filepath.Abs(dir)
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", usagef("finding a cache directory (give --cache): %w", err)
	}
	return filepath.Join(dir, "nixlayer"), nil
}
