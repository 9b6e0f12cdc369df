package cachedir

import (
	"os"
	"path/filepath"
)

// Dir is nixlayer's cache directory. The zero Dir is no cache: each of
// its parts is "", and what would be kept there is not kept.
type Dir string

// Name is the directory that Default puts in the user's cache directory.
const Name = "nixlayer"

// Default returns nixlayer's cache directory in the user's cache
// directory, such as ~/.cache/nixlayer ($XDG_CACHE_HOME/nixlayer).
func Default() (Dir, error) {
	user, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return Dir(filepath.Join(user, Name)), nil
}

// part is the path of the part name of d, or "" for the zero Dir.
func (d Dir) part(name ...string) string {
	if d == "" {
		return ""
	}
	return filepath.Join(append([]string{string(d)}, name...)...)
}

// Blobs is the blob cache: every store path compressed, and the digests
// of every store layer (see image.OpenCache).
func (d Dir) Blobs() string { return d.part("blobs") }

// Catalogs is the directory of recorded catalogs (see catalog.Source).
func (d Dir) Catalogs() string { return d.part("catalog") }

// Record is the file of the evaluation record of key: what Nix said of
// the inputs that key names.
func (d Dir) Record(key string) string { return d.part("eval", key+".json") }

// FileSums is the file of the remembered sums of the files of nixpkgs
// directories, by what stat says of them.
func (d Dir) FileSums() string { return d.part("eval", "files.json") }

// BaseLayers keeps the layers of base images read from registries.
func (d Dir) BaseLayers() string { return d.part("base-layers") }

// TagFile is the file that marks a cache directory, after the Cache
// Directory Tagging Specification (https://bford.info/cachedir/), which
// tar --exclude-caches, restic and borg honour: nixlayer's cache has one,
// so that backups and an overlay's copy leave it out, and an overlay's
// copy leaves out any directory that has one (see IsCache).
const TagFile = "CACHEDIR.TAG"

// TagContent is the content of nixlayer's tag; the specification
// requires the signature line first.
const TagContent = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is nixlayer's cache: blobs, catalogs and records it can make again.\n"

// Tag is the file that marks d as a cache (TagFile), which the CLI
// writes with TagContent when d is not marked yet (see IsCache).
func (d Dir) Tag() string { return d.part(TagFile) }

// IsCache reports whether the directory dir is marked as a cache: it
// holds a TagFile, nixlayer's or another program's.
func IsCache(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, TagFile))
	return err == nil
}
