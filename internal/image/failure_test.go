package image

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// writers are the two ways to write an image, for tests that hold for
// both.
var writers = []struct {
	name  string
	write func(ctx context.Context, img v1.Image, path, ref string) error
}{
	{"archive", WriteArchive},
	{"layout", WriteLayout},
}

// untouchedImage is an image whose every method fails the test: it stands
// for work that must not be done.
type untouchedImage struct {
	v1.Image
	t *testing.T
}

func (u untouchedImage) RawManifest() ([]byte, error) {
	u.t.Error("the image was read")
	return nil, errors.New("untouchable")
}

func TestWriteBadReference(t *testing.T) {
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			err := w.write(context.Background(), untouchedImage{t: t}, out, "Not A Reference")
			if err == nil || !strings.Contains(err.Error(), `invalid image reference "Not A Reference"`) {
				t.Errorf("got %v, want an error about the reference", err)
			}
			if _, err := os.Lstat(out); !os.IsNotExist(err) {
				t.Errorf("output exists: %v", err)
			}
		})
	}
}

func TestWriteUnwritable(t *testing.T) {
	img, _, _ := sampleImage(t)
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, file, "")
	for _, w := range writers {
		for _, tc := range []struct{ name, out string }{
			{"parent is a file", filepath.Join(file, "out")},
			{"parent is missing", filepath.Join(t.TempDir(), "missing", "out")},
		} {
			t.Run(w.name+"/"+tc.name, func(t *testing.T) {
				if err := w.write(context.Background(), img, tc.out, "hello:1"); err == nil {
					t.Fatal("writing succeeded")
				}
				if _, err := os.Lstat(tc.out); err == nil {
					t.Errorf("output %s exists", tc.out)
				}
			})
		}
	}
	t.Run("read-only directory", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o755)
		if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
			f.Close()
			t.Skip("a read-only directory is writable here (running as root)")
		}
		for _, w := range writers {
			out := filepath.Join(dir, "out")
			if err := w.write(context.Background(), img, out, "hello:1"); err == nil {
				t.Errorf("%s: writing succeeded", w.name)
			}
			if _, err := os.Lstat(out); err == nil {
				t.Errorf("%s: output exists", w.name)
			}
		}
	})
}

// cancellingLayer is a layer that cancels a context once its content is
// being read, as a user pressing ^C while an image is written.
type cancellingLayer struct {
	v1.Layer
	cancel context.CancelFunc
}

func (l cancellingLayer) Compressed() (io.ReadCloser, error) {
	rc, err := l.Layer.Compressed()
	if err != nil {
		return nil, err
	}
	return readCloser{cancelOnRead{rc, l.cancel}, rc.Close}, nil
}

type cancelOnRead struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c cancelOnRead) Read(p []byte) (int, error) {
	c.cancel()
	return c.r.Read(p)
}

// TestWriteCancelled cancels writing while a layer is being copied and
// checks that nothing is left, and an existing output is kept.
func TestWriteCancelled(t *testing.T) {
	img, _, _ := sampleImage(t)
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var ls []Layer
			for i, l := range layers {
				if i == 1 {
					l = cancellingLayer{l, cancel}
				}
				ls = append(ls, Layer{Layer: l})
			}
			cimg, err := Assemble(Config{Architecture: "amd64", Created: testEpoch}, ls)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			if w.name == "layout" {
				if err := WriteLayout(context.Background(), img, out, "old:1"); err != nil {
					t.Fatal(err)
				}
			} else {
				writeFile(t, out, "previous archive")
			}
			before := snapshot(t, out)
			err = w.write(ctx, cimg, out, "hello:1")
			if !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want context.Canceled", err)
			}
			if diff := cmp.Diff(before, snapshot(t, out)); diff != "" {
				t.Errorf("the existing output changed (-before +after):\n%s", diff)
			}
			if left := tempFiles(t, dir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestBuildCancelled cancels a build after its first compressed store path
// and checks that the cache holds no partial entry and serves a following
// build, which gives the image of an undisturbed build.
func TestBuildCancelled(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	want := buildSample(t, s, closure, t.TempDir(), t.TempDir(), 0)

	cacheDir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := newBuilder(t, s, cacheDir, 1)
	b.Progress = func(ev Event) {
		if ev.Kind == PathCompressed {
			cancel()
		}
	}
	out := filepath.Join(t.TempDir(), "image.tar")
	img, err := buildImage(ctx, b, closure)
	if err == nil {
		err = WriteArchive(ctx, img, out, "hello:1")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if st := b.Stats(); st.PathsCompressed != 1 {
		t.Errorf("compressed %d paths before stopping, want 1", st.PathsCompressed)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output exists: %v", err)
	}
	if left := tempFiles(t, cacheDir); len(left) != 0 {
		t.Errorf("temporary files left in the cache: %v", left)
	}

	got := buildSample(t, s, closure, cacheDir, t.TempDir(), 0)
	if got != want {
		t.Errorf("build after the cancelled one gave %+v, want %+v", got, want)
	}
}

// TestBuildCancelledMidPath cancels a build while a large store path is
// being compressed, once the first compressed bytes reach the cache.
func TestBuildCancelledMidPath(t *testing.T) {
	s := newFakeStore(t)
	data := make([]byte, 64<<20)
	rand.NewChaCha8([32]byte{1}).Read(data) // incompressible, so that output starts early
	big := s.add("big", fakeFile{name: "data", data: string(data), mode: 0o444})
	cacheDir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			temps, _ := filepath.Glob(filepath.Join(cacheDir, "paths", ".*"+atomic.Marker+"*"))
			for _, f := range temps {
				if fi, err := os.Stat(f); err == nil && fi.Size() > 0 {
					cancel()
				}
			}
			time.Sleep(100 * time.Microsecond)
		}
	}()
	_, err := newBuilder(t, s, cacheDir, 0).StoreLayers(ctx, [][]StorePath{{big}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(filepath.Join(cacheDir, "paths"))
	if len(entries) != 0 {
		t.Errorf("cache holds %d files, want none", len(entries))
	}
}

func TestBuildBadInput(t *testing.T) {
	s := newFakeStore(t)
	hello := s.add("hello", fakeFile{name: "bin/hello", data: "hello"})
	missing := StorePath{Path: nix.DefaultStoreDir + "/" + storeHash("gone") + "-gone", NarHash: "sha256-x"}
	for _, tc := range []struct {
		name   string
		layers [][]StorePath
		want   string
	}{
		{"missing store path", [][]StorePath{{hello}, {missing}}, "store path " + missing.Path + " is missing"},
		{"not a store path", [][]StorePath{{{Path: "/usr/bin", NarHash: "sha256-x"}}}, `"/usr/bin" is not a store path`},
		{"no narHash", [][]StorePath{{{Path: hello.Path}}}, "has no narHash"},
		{"empty layer", [][]StorePath{{hello}, {}}, "layer 1 has no store paths"},
		{"path twice in a layer", [][]StorePath{{hello, hello}}, "layer 0 lists " + hello.Path + " twice"},
		{"two narHashes", [][]StorePath{{hello}, {{Path: hello.Path, NarHash: "sha256-other"}}}, "is given with narHash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cacheDir := t.TempDir()
			b := newBuilder(t, s, cacheDir, 0)
			out := filepath.Join(t.TempDir(), "image.tar")
			img, err := buildImage(context.Background(), b, tc.layers)
			if err == nil {
				err = WriteArchive(context.Background(), img, out, "hello:1")
			}
			if err == nil || !strings.HasPrefix(err.Error(), "building store layers: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output exists: %v", err)
			}
			if st := b.Stats(); st != (Stats{}) {
				t.Errorf("work was done before the error: %+v", st)
			}
		})
	}
	t.Run("no cache", func(t *testing.T) {
		_, err := (&Builder{}).StoreLayers(context.Background(), [][]StorePath{{hello}})
		if err == nil || err.Error() != "building store layers: no cache" {
			t.Errorf("got %v", err)
		}
	})
}
