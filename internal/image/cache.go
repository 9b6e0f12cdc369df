package image

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/atomic"
)

// formatVersion is part of every cache key. Change it whenever the bytes of
// a store path's compressed entry change for the same inputs: the tar
// layout, the compression level or the format of the metadata.
const formatVersion = "nixlayer-image-cache-v1"

// Cache is a directory of compressed store paths and of layer metadata,
// shared by builds in any number of processes.
//
// Its "paths" directory holds, for each store path and epoch, a gzip member
// of the path's tar entries (<key>.gz) and beside it its metadata
// (<key>.json): compressed size and sha256, uncompressed size. Its "layers"
// directory holds, for each composition of a store layer, the layer's
// digest, diff ID and size (<key>.json). Keys are sha256 digests of
// everything that determines the content, so an entry never goes stale;
// removing the directory, or any file in it, only costs time.
//
// Every file is written under a temporary name, synced and renamed into
// place, so a killed process never leaves a partial entry. An entry whose
// size or digest does not match its metadata is treated as missing and
// rewritten.
type Cache struct {
	dir string
}

// OpenCache opens the cache in dir, creating the directory if needed, and
// removes the temporary files that killed processes left there (see
// atomic.Sweep).
func OpenCache(dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("opening cache: no directory given")
	}
	c := &Cache{dir: dir}
	for _, sub := range []string{c.pathsDir(), c.layersDir()} {
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, fmt.Errorf("opening cache: %w", err)
		}
		atomic.Sweep(sub, "")
	}
	return c, nil
}

// Dir returns the directory of the cache.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) pathsDir() string  { return filepath.Join(c.dir, "paths") }
func (c *Cache) layersDir() string { return filepath.Join(c.dir, "layers") }

func (c *Cache) blobFile(key string) string  { return filepath.Join(c.pathsDir(), key+".gz") }
func (c *Cache) pathFile(key string) string  { return filepath.Join(c.pathsDir(), key+".json") }
func (c *Cache) layerFile(key string) string { return filepath.Join(c.layersDir(), key+".json") }

// compressorVersion returns the version of the gzip implementation, which
// determines the compressed bytes, so that a new version does not reuse
// entries that a cold build would compress differently.
var compressorVersion = sync.OnceValue(func() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/klauspost/compress" {
				if m.Replace != nil {
					m = m.Replace
				}
				return m.Version
			}
		}
	}
	return "unknown"
})

// cacheKey returns the hex sha256 digest of the strings of a key, each
// followed by a NUL byte.
func cacheKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// pathKey returns the cache key of the compressed entry of p for entries
// with modification time mtime.
func pathKey(p StorePath, mtime time.Time) string {
	return cacheKey("path", formatVersion, compressorVersion(), p.Path, p.NarHash, strconv.FormatInt(mtime.Unix(), 10))
}

// layerKey returns the cache key of the metadata of a layer made of the
// compressed entries with the given keys, in order.
func layerKey(mtime time.Time, pathKeys []string) string {
	parts := append([]string{"layer", formatVersion, compressorVersion(), strconv.FormatInt(mtime.Unix(), 10)}, pathKeys...)
	return cacheKey(parts...)
}

// pathMeta is the metadata stored beside a compressed store path.
type pathMeta struct {
	StorePath        string  `json:"storePath"`
	NarHash          string  `json:"narHash"`
	Digest           v1.Hash `json:"digest"` // of the compressed member
	Size             int64   `json:"size"`   // of the compressed member
	UncompressedSize int64   `json:"uncompressedSize"`
}

// layerMeta is the metadata of a layer.
type layerMeta struct {
	Digest v1.Hash `json:"digest"`
	DiffID v1.Hash `json:"diffID"`
	Size   int64   `json:"size"`
}

// writeJSON writes v as the JSON file at path, atomically.
func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := atomic.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(append(data, '\n')); err != nil {
		return err
	}
	return f.Commit(0o644)
}

// readJSON reads the JSON file at path into v.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// lookupPath returns the metadata of the entry of p under key when the
// entry is complete: its metadata names p and its compressed file has the
// recorded size. It does not read the compressed file; see verifyPath.
func (c *Cache) lookupPath(key string, p StorePath) (pathMeta, bool) {
	var m pathMeta
	if err := readJSON(c.pathFile(key), &m); err != nil {
		return pathMeta{}, false
	}
	if m.StorePath != p.Path || m.NarHash != p.NarHash || m.Digest.Algorithm != "sha256" || m.Size <= 0 || m.UncompressedSize < 0 {
		return pathMeta{}, false
	}
	fi, err := os.Stat(c.blobFile(key))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != m.Size {
		return pathMeta{}, false
	}
	return m, true
}

// verifyPath reports whether the compressed file of the entry under key has
// the digest and size of m.
func (c *Cache) verifyPath(key string, m pathMeta) bool {
	f, err := os.Open(c.blobFile(key))
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, newVerifyReader(f, m.Digest, m.Size, nil))
	return err == nil
}

// removePath removes the entry under key, metadata first so that the entry
// is never complete without its data.
func (c *Cache) removePath(key string) {
	_ = os.Remove(c.pathFile(key))
	_ = os.Remove(c.blobFile(key))
}

// lookupLayer returns the metadata of the layer under key when it is
// present and well-formed. The caller checks that its size is the sum of
// the layer's parts.
func (c *Cache) lookupLayer(key string) (layerMeta, bool) {
	var m layerMeta
	if err := readJSON(c.layerFile(key), &m); err != nil {
		return layerMeta{}, false
	}
	if m.Size <= 0 || m.Digest.Algorithm != "sha256" || m.DiffID.Algorithm != "sha256" {
		return layerMeta{}, false
	}
	return m, true
}

// removeLayer removes the metadata of the layer under key.
func (c *Cache) removeLayer(key string) {
	_ = os.Remove(c.layerFile(key))
}
