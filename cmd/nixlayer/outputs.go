package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/image"
)

// checkArchive checks, before any long work, that the archive file can be
// written: it is not a directory, and its directory exists and takes new
// files (a device or a pipe is written as it is). It removes what killed
// builds left of earlier writes of it.
func checkArchive(file string) error {
	if file == "" || file == "-" {
		return nil
	}
	if fi, err := os.Stat(file); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil
	}
	atomic.Sweep(filepath.Dir(file), filepath.Base(file))
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return usagef("-o %s: it is a directory; give the path of the archive file, such as %s", file, filepath.Join(file, "image.tar"))
	}
	return writableDir("-o", file)
}

// checkLayout checks, before any long work, that the layout directory can
// be written with the image tag: it is missing, an empty directory or an
// OCI layout of that image alone (which is replaced), and the directory
// that holds it takes new files. It removes what killed builds left of
// earlier writes of it.
func checkLayout(dir, tag string) error {
	if dir == "" {
		return nil
	}
	dir = filepath.Clean(dir)
	atomic.Sweep(filepath.Dir(dir), filepath.Base(dir))
	if err := image.CheckLayoutDir(dir, tag); err != nil {
		return usagef("--oci-layout %s: %w", dir, err)
	}
	return writableDir("--oci-layout", dir)
}

// toStdout reports whether the archive goes to standard output: "-", or a
// path to this process's own standard output, such as /dev/stdout, whatever
// it is redirected to.
func toStdout(file string) bool {
	if file == "-" {
		return true
	}
	if file == "" {
		return false
	}
	fi, err := os.Stat(file)
	if err != nil {
		return false
	}
	out, err := os.Stdout.Stat()
	return err == nil && os.SameFile(fi, out)
}

// samePath reports whether the archive and the layout name the same
// path, which cannot be both a file and a directory.
func samePath(archive, layout string) bool {
	if archive == "" || layout == "" || archive == "-" {
		return false
	}
	a, errA := filepath.Abs(archive)
	l, errL := filepath.Abs(layout)
	if errA != nil || errL != nil {
		return false
	}
	if a == l {
		return true
	}
	fa, errA := os.Stat(a)
	fl, errL := os.Stat(l)
	return errA == nil && errL == nil && os.SameFile(fa, fl)
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

// cacheDir is --cache, NIXLAYER_CACHE, or nixlayer's user cache
// directory (cachedir.Default), checked before any work: it is a
// directory nixlayer can make and write in. It is tagged as a cache.
func cacheDir(flag string) (cachedir.Dir, error) {
	dir := firstOf(flag, os.Getenv("NIXLAYER_CACHE"))
	if dir == "" {
		user, err := cachedir.Default()
		if err != nil {
			return "", usagef("finding a cache directory (give --cache): %w", err)
		}
		dir = string(user)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", usagef("--cache %s: %w", dir, err)
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return "", usagef("--cache %s: it exists and is not a directory", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", usagef("--cache %s: cannot make it: %w", dir, errors.Unwrap(err))
	}
	probe, err := os.CreateTemp(dir, atomic.TempPattern(filepath.Join(dir, "nixlayer-probe")))
	if err != nil {
		return "", usagef("--cache %s: cannot write in it: %w", dir, errors.Unwrap(err))
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return "", err
	}
	// Tagged as a cache, so that backups, tar --exclude-caches and an
	// overlay's copy leave it out.
	cache := cachedir.Dir(dir)
	if !cachedir.IsCache(dir) {
		if err := atomic.WriteFile(cache.Tag(), []byte(cachedir.TagContent), 0o644); err != nil {
			return "", fmt.Errorf("tagging the cache %s: %w", dir, err)
		}
	}
	return cache, nil
}
