package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// File is an entry of a customisation layer made by FilesLayer.
type File struct {
	// Path is the absolute, clean path of the entry in the image, such as
	// "/etc/passwd".
	Path string
	// Mode holds the type (fs.ModeDir, fs.ModeSymlink, or none for a
	// regular file), the permissions and, unlike in store layers, may hold
	// fs.ModeSetuid, fs.ModeSetgid and fs.ModeSticky. Symbolic links get
	// permissions 0777 whatever Mode says.
	Mode     fs.FileMode
	Uid, Gid int
	// Data is the content of a regular file.
	Data []byte
	// Source, instead of Data, names a file on disk to copy the content of
	// a regular file from, such as a setuid binary copied out of the store.
	// It is read when the layer is made and again whenever its content is
	// read, and must not change in between.
	Source string
	// Link is the target of a symbolic link.
	Link string
}

// fileEntry is a checked File with its name in the tar archive.
type fileEntry struct {
	File
	name string // relative, without trailing slash
	size int64
}

// FilesLayer returns a layer holding files, such as /etc/passwd or a
// setuid wrapper, with modification time epoch (the zero time stands for
// one second after the Unix epoch). Entries are sorted by path, parents
// first; missing parent directories are added as directories 0755 owned by
// root. Two files with the same path, a parent that is not a directory, or
// a file that is not a regular file, directory or symbolic link are errors.
func FilesLayer(files []File, epoch time.Time) (v1.Layer, error) {
	l, err := filesLayerOf(files, modTime(epoch))
	if err != nil {
		return nil, fmt.Errorf("building files layer: %w", err)
	}
	return l, nil
}

func filesLayerOf(files []File, mtime time.Time) (*filesLayer, error) {
	byName := map[string]*fileEntry{}
	for _, f := range files {
		e, err := checkFile(f)
		if err != nil {
			return nil, err
		}
		if _, dup := byName[e.name]; dup {
			return nil, fmt.Errorf("%s is listed twice", f.Path)
		}
		byName[e.name] = e
	}
	names := slices.Sorted(maps.Keys(byName))
	for _, name := range names {
		for _, dir := range parentDirs(name) {
			p, ok := byName[dir]
			if !ok {
				byName[dir] = &fileEntry{File: File{Path: "/" + dir, Mode: fs.ModeDir | 0o755}, name: dir}
			} else if !p.Mode.IsDir() {
				return nil, fmt.Errorf("parent /%s of /%s is not a directory", dir, name)
			}
		}
	}
	entries := make([]*fileEntry, 0, len(byName))
	for _, e := range byName {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b *fileEntry) int { return pathCompare(a.name, b.name) })
	l := &filesLayer{entries: entries, mtime: mtime}
	if err := l.computeDigests(); err != nil {
		return nil, err
	}
	return l, nil
}

// checkFile checks f and returns its entry.
func checkFile(f File) (*fileEntry, error) {
	if !path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path || f.Path == "/" {
		return nil, fmt.Errorf("path %q is not an absolute, clean path below /", f.Path)
	}
	e := &fileEntry{File: f, name: strings.TrimPrefix(f.Path, "/")}
	if f.Uid < 0 || f.Gid < 0 {
		return nil, fmt.Errorf("%s has negative owner %d:%d", f.Path, f.Uid, f.Gid)
	}
	if extra := f.Mode &^ (fs.ModeType | fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky); extra != 0 {
		return nil, fmt.Errorf("%s has mode bits %#o that a files layer cannot hold (use fs.ModeSetuid, fs.ModeSetgid and fs.ModeSticky for special permissions)", f.Path, uint32(extra))
	}
	hasContent := f.Data != nil || f.Source != ""
	switch f.Mode.Type() {
	case fs.ModeDir:
		if hasContent || f.Link != "" {
			return nil, fmt.Errorf("directory %s has content or a link target", f.Path)
		}
	case fs.ModeSymlink:
		if hasContent || f.Link == "" {
			return nil, fmt.Errorf("symbolic link %s needs a link target and no content", f.Path)
		}
	case 0:
		if f.Link != "" {
			return nil, fmt.Errorf("regular file %s has a link target", f.Path)
		}
		if f.Data != nil && f.Source != "" {
			return nil, fmt.Errorf("%s has both Data and Source", f.Path)
		}
		e.size = int64(len(f.Data))
		if f.Source != "" {
			fi, err := os.Stat(f.Source)
			if err != nil {
				return nil, fmt.Errorf("source of %s: %w", f.Path, err)
			}
			if !fi.Mode().IsRegular() {
				return nil, fmt.Errorf("source %s of %s is not a regular file", f.Source, f.Path)
			}
			e.size = fi.Size()
		}
	default:
		return nil, fmt.Errorf("%s is a %s, which a files layer cannot hold", f.Path, kind(f.Mode))
	}
	return e, nil
}

// filesLayer is the layer made by FilesLayer. Its content is generated
// anew, streaming, whenever it is read.
type filesLayer struct {
	entries        []*fileEntry
	mtime          time.Time
	digest, diffID v1.Hash
	size, rawSize  int64
}

var _ v1.Layer = (*filesLayer)(nil)

// writeTar writes the tar archive of the layer to w.
func (l *filesLayer) writeTar(w io.Writer) error {
	tw := tar.NewWriter(w)
	for _, e := range l.entries {
		var h *tar.Header
		switch e.Mode.Type() {
		case fs.ModeDir:
			h = header(tar.TypeDir, e.name, tarMode(e.Mode), e.Uid, e.Gid, l.mtime)
		case fs.ModeSymlink:
			h = header(tar.TypeSymlink, e.name, 0o777, e.Uid, e.Gid, l.mtime)
			h.Linkname = e.Link
		default:
			h = header(tar.TypeReg, e.name, tarMode(e.Mode), e.Uid, e.Gid, l.mtime)
			h.Size = e.size
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("writing %s: %w", e.Path, err)
		}
		if err := e.writeContent(tw); err != nil {
			return err
		}
	}
	return tw.Close()
}

// writeContent writes the content of a regular file.
func (e *fileEntry) writeContent(w io.Writer) error {
	if e.Source == "" {
		_, err := w.Write(e.Data)
		return err
	}
	f, err := os.Open(e.Source)
	if err != nil {
		return fmt.Errorf("reading source of %s: %w", e.Path, err)
	}
	defer f.Close()
	if err := copyExactly(context.Background(), w, f, e.size); err != nil {
		return fmt.Errorf("reading source of %s: %w", e.Path, err)
	}
	return nil
}

// writeCompressed writes the gzip stream of the layer to w.
func (l *filesLayer) writeCompressed(w io.Writer) error {
	_, err := gzipMember(w, l.writeTar)
	return err
}

// computeDigests generates the layer once to learn its digests and sizes.
func (l *filesLayer) computeDigests() error {
	dh, uh := sha256.New(), sha256.New()
	cw := &countWriter{w: dh}
	raw, err := gzipMember(cw, func(w io.Writer) error { return l.writeTar(io.MultiWriter(w, uh)) })
	if err != nil {
		return err
	}
	l.digest, l.size = sha256Hash(dh), cw.n
	l.diffID, l.rawSize = sha256Hash(uh), raw
	return nil
}

// Digest returns the sha256 digest of the compressed layer.
func (l *filesLayer) Digest() (v1.Hash, error) { return l.digest, nil }

// DiffID returns the sha256 digest of the uncompressed layer.
func (l *filesLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }

// Size returns the size of the compressed layer.
func (l *filesLayer) Size() (int64, error) { return l.size, nil }

// MediaType returns the media type of an OCI gzip layer.
func (l *filesLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }

// Compressed returns the gzip stream of the layer, generated as it is read.
// Reading fails if a source file changed since FilesLayer.
func (l *filesLayer) Compressed() (io.ReadCloser, error) {
	return l.stream(l.writeCompressed, l.digest, l.size)
}

// Uncompressed returns the tar archive of the layer, generated as it is
// read. Reading fails if a source file changed since FilesLayer.
func (l *filesLayer) Uncompressed() (io.ReadCloser, error) {
	return l.stream(l.writeTar, l.diffID, l.rawSize)
}

// checksContent marks filesLayer as a layer whose readers check their
// content.
func (l *filesLayer) checksContent() {}

// stream returns a reader of the output of write, which a goroutine
// generates as it is read, checked against want and size.
func (l *filesLayer) stream(write func(io.Writer) error, want v1.Hash, size int64) (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	vr := newVerifyReader(pr, want, size, func(got v1.Hash, n int64) error {
		return errors.New("files layer changed since it was made: a source file was modified")
	})
	return readCloser{vr, func() error { return pr.CloseWithError(errors.New("reader closed")) }}, nil
}
