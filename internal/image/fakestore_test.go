package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// testEpoch is the epoch of the tests' layers.
var testEpoch = time.Date(2026, 7, 8, 22, 16, 59, 0, time.UTC)

// fakeStore is a Nix store laid out on disk as <root>/nix/store/<hash>-<name>.
type fakeStore struct {
	t    testing.TB
	root string
}

// newFakeStore returns an empty store in a temporary directory.
func newFakeStore(t testing.TB) *fakeStore {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "nix", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Store directories are read-only, like in Nix; make them writable
	// again so that the temporary directory can be removed.
	t.Cleanup(func() { makeWritable(root) })
	return &fakeStore{t: t, root: root}
}

// makeWritable gives the owner write permission on every directory below
// root.
func makeWritable(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
}

// nix32 is the alphabet of store path hashes.
const nix32 = "0123456789abcdfghijklmnpqrsvwxyz"

// storeHash returns a store path hash derived from name.
func storeHash(name string) string {
	sum := sha256.Sum256([]byte(name))
	var b strings.Builder
	for i := 0; i < 32; i++ { // a store path hash has 32 characters
		b.WriteByte(nix32[sum[i]%32])
	}
	return b.String()
}

// fakeFile is a file of a fake store path. Exactly one of data (a regular
// file), link (a symbolic link), hardlink (a hard link to the file of that
// relative path) or dir (a directory) says what it is.
type fakeFile struct {
	name     string // relative to the store path
	mode     fs.FileMode
	data     string
	link     string
	hardlink string
	dir      bool
}

// add creates the directory store path name with files, in the order
// given, makes its directories read-only and returns it with a narHash made
// of its description.
func (s *fakeStore) add(name string, files ...fakeFile) StorePath {
	s.t.Helper()
	p := nix.DefaultStoreDir + "/" + storeHash(name) + "-" + name
	top := nix.Root(s.root).Path(p)
	s.must(os.Mkdir(top, 0o755))
	desc := sha256.New()
	for _, f := range files {
		fmt.Fprintf(desc, "%+v\n", f)
		full := filepath.Join(top, filepath.FromSlash(f.name))
		s.must(os.MkdirAll(filepath.Dir(full), 0o755))
		switch {
		case f.dir:
			s.must(os.Mkdir(full, 0o755))
		case f.link != "":
			s.must(os.Symlink(f.link, full))
		case f.hardlink != "":
			s.must(os.Link(filepath.Join(top, filepath.FromSlash(f.hardlink)), full))
		default:
			s.must(os.WriteFile(full, []byte(f.data), 0o644))
		}
	}
	for _, f := range files { // after writing, as a mode may forbid writing
		if f.link == "" && f.hardlink == "" && f.mode != 0 {
			s.must(os.Chmod(filepath.Join(top, filepath.FromSlash(f.name)), f.mode))
		}
	}
	s.readOnlyDirs(top)
	return StorePath{Path: p, NarHash: "sha256-" + hex.EncodeToString(desc.Sum(nil)), NarSize: 1}
}

// addFile creates the store path name as a single regular file.
func (s *fakeStore) addFile(name, data string, mode fs.FileMode) StorePath {
	s.t.Helper()
	p := nix.DefaultStoreDir + "/" + storeHash(name) + "-" + name
	s.must(os.WriteFile(nix.Root(s.root).Path(p), []byte(data), mode))
	s.must(os.Chmod(nix.Root(s.root).Path(p), mode))
	return StorePath{Path: p, NarHash: "sha256-file-" + data, NarSize: int64(len(data))}
}

// addLink creates the store path name as a symbolic link to target.
func (s *fakeStore) addLink(name, target string) StorePath {
	s.t.Helper()
	p := nix.DefaultStoreDir + "/" + storeHash(name) + "-" + name
	s.must(os.Symlink(target, nix.Root(s.root).Path(p)))
	return StorePath{Path: p, NarHash: "sha256-link-" + target, NarSize: 1}
}

// readOnlyDirs makes the directories below top read-only, as in a store.
func (s *fakeStore) readOnlyDirs(top string) {
	var dirs []string
	s.must(filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return err
	}))
	for i := len(dirs) - 1; i >= 0; i-- {
		s.must(os.Chmod(dirs[i], 0o555))
	}
}

func (s *fakeStore) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

// longName is a relative path that makes paths longer than the 100
// characters of a plain tar name field, with a base name longer than 100
// characters too, so that it needs a PAX header.
var longName = strings.Repeat("very-long-directory-name/", 3) + strings.Repeat("x", 120) + ".txt"

// sampleClosure fills s with a small closure covering every kind of entry
// and returns it as three layers.
func sampleClosure(s *fakeStore) [][]StorePath {
	glibc := s.add("glibc-2.40",
		fakeFile{name: "lib/libc.so.6", data: "\x7fELF libc", mode: 0o555},
		fakeFile{name: "lib/ld-linux.so", link: "libc.so.6"},
		fakeFile{name: "share/locale", dir: true},
	)
	hello := s.add("hello-2.12.2",
		fakeFile{name: "bin/hello", data: "#!/bin/sh\necho hello\n", mode: 0o555},
		fakeFile{name: "bin/hi", hardlink: "bin/hello"},
		fakeFile{name: "bin/sudo-ish", data: "setuid in the store", mode: 0o4555},
		fakeFile{name: "lib", link: glibc.Path + "/lib"},
		fakeFile{name: "share/doc/" + longName, data: strings.Repeat("long ", 100), mode: 0o444},
		fakeFile{name: "share/doc.txt", data: "sorts after share/doc/", mode: 0o444},
		fakeFile{name: "share/empty", dir: true},
	)
	patch := s.addFile("fix.patch", "--- a\n+++ b\n", 0o444)
	profile := s.addLink("profile", hello.Path)
	return [][]StorePath{{glibc}, {patch, hello}, {profile}}
}

// headerLine describes a tar header for golden files and comparisons.
func headerLine(h *tar.Header, content []byte) string {
	line := fmt.Sprintf("%c %04o %d:%d %q:%q %d %s %s", h.Typeflag, h.Mode, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime.Unix(), h.Format, h.Name)
	switch h.Typeflag {
	case tar.TypeReg:
		sum := sha256.Sum256(content)
		line += fmt.Sprintf(" size=%d sha256=%s", h.Size, hex.EncodeToString(sum[:6]))
	case tar.TypeSymlink, tar.TypeLink:
		line += " -> " + h.Linkname
	}
	if !h.AccessTime.IsZero() || !h.ChangeTime.IsZero() {
		line += " atime/ctime set"
	}
	return line
}

// readTar returns the headers of the tar archive r, with the content of
// regular files.
func readTar(t testing.TB, r io.Reader) (hdrs []*tar.Header, contents [][]byte) {
	t.Helper()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return hdrs, contents
		}
		if err != nil {
			t.Fatalf("reading tar: %v", err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("reading tar entry %s: %v", h.Name, err)
		}
		hdrs = append(hdrs, h)
		contents = append(contents, data)
	}
}

// layerLines returns the header lines of the uncompressed layer l.
func layerLines(t testing.TB, l v1.Layer) []string {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	hdrs, contents := readTar(t, rc)
	lines := make([]string, len(hdrs))
	for i, h := range hdrs {
		lines[i] = headerLine(h, contents[i])
	}
	return lines
}

// newBuilder returns a builder of s with a cache in dir.
func newBuilder(t testing.TB, s *fakeStore, dir string, jobs int) *Builder {
	t.Helper()
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &Builder{Store: nix.Root(s.root), Cache: c, Epoch: testEpoch, Jobs: jobs}
}

// buildImage builds the image of closure with b: its store layers, each
// annotated with its store paths, and a files layer.
func buildImage(ctx context.Context, b *Builder, closure [][]StorePath) (v1.Image, error) {
	stores, err := b.StoreLayers(ctx, closure)
	if err != nil {
		return nil, err
	}
	var layers []Layer
	for i, l := range stores {
		var paths []string
		for _, p := range closure[i] {
			paths = append(paths, p.Path)
		}
		layers = append(layers, Layer{
			Layer:       l,
			Annotations: map[string]string{AnnotationStorePaths: strings.Join(paths, "\n")},
			CreatedBy:   fmt.Sprintf("nixlayer: store layer %d", i),
		})
	}
	etc, err := FilesLayer([]File{
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/root:/bin/sh\n")},
		{Path: "/tmp", Mode: fs.ModeDir | fs.ModeSticky | 0o777},
	}, b.Epoch)
	if err != nil {
		return nil, err
	}
	layers = append(layers, Layer{Layer: etc, CreatedBy: "nixlayer: customisation"})
	return Assemble(Config{
		Architecture: "amd64",
		Env:          []string{"PATH=/bin"},
		Cmd:          []string{"/bin/hello"},
		Labels:       map[string]string{"org.opencontainers.image.title": "hello"},
		Created:      b.Epoch,
	}, layers)
}

// mustDigest returns the digest of img.
func mustDigest(t testing.TB, img v1.Image) v1.Hash {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tempFiles returns the temporary files that this package left below dir.
func tempFiles(t testing.TB, dir string) []string {
	t.Helper()
	var found []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && atomic.IsTemp(d.Name()) {
			found = append(found, p)
		}
		return nil
	})
	return found
}
