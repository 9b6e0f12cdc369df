package flake

import (
	"archive/tar"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/cachedir"
)

// OverlayFiles lists the files of an overlay's directory that go into the
// build with it, as paths relative to dir, sorted: the regular files an
// overlay can name, such as patches beside it. Left out, so that an
// overlay at a project's root does not copy the project's build outputs
// into the store at every change:
//
//   - entries whose name starts with a dot (.git, .direnv, .venv, and
//     nixlayer's own temporary files and work directories);
//   - symbolic links, devices and other special files;
//   - OCI image layouts (directories with an oci-layout file) and image
//     archives (tar files whose first entry is an OCI layout's or docker
//     save's: oci-layout, index.json, manifest.json, repositories or
//     blobs/);
//   - cache directories, which hold a CACHEDIR.TAG (see
//     cachedir.IsCache; nixlayer's cache does).
func OverlayFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return filepath.SkipDir
			}
		case d.IsDir():
			if exists(filepath.Join(p, "oci-layout")) || cachedir.IsCache(p) {
				return filepath.SkipDir
			}
		case d.Type().IsRegular():
			if !isImageArchive(p) {
				files = append(files, rel)
			}
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// imageArchiveEntries are the names an image archive starts with: an OCI
// layout's files, or docker save's.
var imageArchiveEntries = []string{"oci-layout", "index.json", "manifest.json", "repositories"}

// isImageArchive reports whether the file p is a tar archive of an image,
// by its first entry.
func isImageArchive(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	hdr, err := tar.NewReader(io.LimitReader(f, 1024)).Next()
	if err != nil {
		return false
	}
	name := strings.TrimPrefix(hdr.Name, "./")
	return slices.Contains(imageArchiveEntries, name) || strings.HasPrefix(name, "blobs/") || name == "blobs"
}

// copyOverlayDir copies the files of OverlayFiles(src) into dst.
func copyOverlayDir(dst, src string) error {
	files, err := OverlayFiles(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, rel := range files {
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := copyFile(target, filepath.Join(src, rel)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed since the listing
			}
			return err
		}
	}
	return nil
}
