package image

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/nixlayer/nixlayer/internal/atomic"
)

// tarBytes returns the uncompressed bytes of the entries of the store paths
// of layers: their tar archives without the entries nix/ and nix/store/ and
// the trailer, 1024 bytes each.
func tarBytes(t *testing.T, layers []v1.Layer) int64 {
	t.Helper()
	var n int64
	for _, l := range layers {
		n += l.(*storeLayer).uncompressedSize() - 2048
	}
	return n
}

// layerDigests returns the digests of layers.
func layerDigests(t *testing.T, layers []v1.Layer) []string {
	t.Helper()
	var ds []string
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d.String())
	}
	return ds
}

// TestCacheReuse builds the sample closure cold, warm, with one more store
// path, and after damage to the cache, and checks what each build
// compressed and reused.
func TestCacheReuse(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	cacheDir := t.TempDir()
	build := func(closure [][]StorePath) ([]v1.Layer, Stats) {
		t.Helper()
		b := newBuilder(t, s, cacheDir, 0)
		layers, err := b.StoreLayers(context.Background(), closure)
		if err != nil {
			t.Fatal(err)
		}
		return layers, b.Stats()
	}

	cold, stats := build(closure)
	all := tarBytes(t, cold)
	if diff := cmp.Diff(Stats{PathsCompressed: 4, BytesCompressed: all, LayersComputed: 3}, stats); diff != "" {
		t.Errorf("cold build (-want +got):\n%s", diff)
	}
	want := layerDigests(t, cold)

	warm, stats := build(closure)
	if diff := cmp.Diff(Stats{PathsReused: 4, BytesReused: all, LayersReused: 3}, stats); diff != "" {
		t.Errorf("warm build (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, layerDigests(t, warm)); diff != "" {
		t.Errorf("warm build changed digests (-cold +warm):\n%s", diff)
	}

	t.Run("one more path", func(t *testing.T) {
		extra := s.add("extra-1.0", fakeFile{name: "bin/extra", data: "extra", mode: 0o555})
		grown := slices.Clone(closure)
		grown[1] = append(slices.Clone(grown[1]), extra)
		layers, stats := build(grown)
		extraBytes := tarBytes(t, layers) - all
		if diff := cmp.Diff(Stats{PathsCompressed: 1, PathsReused: 4, BytesCompressed: extraBytes, BytesReused: all, LayersComputed: 1, LayersReused: 2}, stats); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		got := layerDigests(t, layers)
		if got[0] != want[0] || got[2] != want[2] || got[1] == want[1] {
			t.Errorf("digests %v, want only layer 1 to differ from %v", got, want)
		}
	})

	t.Run("truncated entry", func(t *testing.T) {
		key := pathKey(closure[1][1], modTime(testEpoch))
		blob := filepath.Join(cacheDir, "paths", key+".gz")
		fi, err := os.Stat(blob)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(blob, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
		layers, stats := build(closure)
		if stats.PathsCompressed != 1 || stats.LayersComputed != 1 {
			t.Errorf("compressed %d paths and computed %d layers, want 1 and 1", stats.PathsCompressed, stats.LayersComputed)
		}
		if diff := cmp.Diff(want, layerDigests(t, layers)); diff != "" {
			t.Errorf("digests changed (-want +got):\n%s", diff)
		}
		if fi2, err := os.Stat(blob); err != nil || fi2.Size() != fi.Size() {
			t.Errorf("entry not rewritten: %v, %v", fi2, err)
		}
	})

	t.Run("damaged entry of an uncached layer", func(t *testing.T) {
		key := pathKey(closure[0][0], modTime(testEpoch))
		flipByte(t, filepath.Join(cacheDir, "paths", key+".gz"))
		layerKeyOf := layerKey(modTime(testEpoch), []string{key})
		if err := os.Remove(filepath.Join(cacheDir, "layers", layerKeyOf+".json")); err != nil {
			t.Fatal(err)
		}
		layers, stats := build(closure)
		if stats.PathsCompressed != 1 || stats.LayersComputed != 1 {
			t.Errorf("compressed %d paths and computed %d layers, want 1 and 1", stats.PathsCompressed, stats.LayersComputed)
		}
		if diff := cmp.Diff(want, layerDigests(t, layers)); diff != "" {
			t.Errorf("digests changed (-want +got):\n%s", diff)
		}
	})

	t.Run("damaged metadata", func(t *testing.T) {
		key := pathKey(closure[2][0], modTime(testEpoch))
		if err := os.WriteFile(filepath.Join(cacheDir, "paths", key+".json"), []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		layers, stats := build(closure)
		if stats.PathsCompressed != 1 {
			t.Errorf("compressed %d paths, want 1", stats.PathsCompressed)
		}
		if diff := cmp.Diff(want, layerDigests(t, layers)); diff != "" {
			t.Errorf("digests changed (-want +got):\n%s", diff)
		}
	})

	t.Run("damaged layer metadata", func(t *testing.T) {
		entries, err := filepath.Glob(filepath.Join(cacheDir, "layers", "*.json"))
		if err != nil || len(entries) == 0 {
			t.Fatalf("no layer metadata: %v", err)
		}
		for _, e := range entries {
			if err := os.WriteFile(e, []byte(`{"digest":"sha256:00","size":-1}`), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		layers, stats := build(closure)
		if stats.LayersComputed != 3 || stats.PathsCompressed != 0 {
			t.Errorf("computed %d layers and compressed %d paths, want 3 and 0", stats.LayersComputed, stats.PathsCompressed)
		}
		if diff := cmp.Diff(want, layerDigests(t, layers)); diff != "" {
			t.Errorf("digests changed (-want +got):\n%s", diff)
		}
	})
}

// flipByte changes the last byte of file, keeping its size.
func flipByte(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 0xff
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCacheDamageFoundWhileWriting damages an entry of a layer whose
// metadata is cached, which a build trusts without reading, and checks
// that writing the image fails, leaves no output, and that the next build
// compresses the entry again.
func TestCacheDamageFoundWhileWriting(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	cacheDir := t.TempDir()
	img, err := buildImage(context.Background(), newBuilder(t, s, cacheDir, 0), closure)
	if err != nil {
		t.Fatal(err)
	}
	want := mustDigest(t, img)
	flipByte(t, filepath.Join(cacheDir, "paths", pathKey(closure[1][1], modTime(testEpoch))+".gz"))

	b := newBuilder(t, s, cacheDir, 0)
	img, err = buildImage(context.Background(), b, closure)
	if err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.PathsReused != 4 || st.LayersReused != 3 {
		t.Fatalf("stats %+v, want every path and layer reused", st)
	}
	out := filepath.Join(t.TempDir(), "image.tar")
	err = WriteArchive(context.Background(), img, out, "hello:1")
	if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), closure[1][1].Path) {
		t.Errorf("WriteArchive: %v, want an error about the corrupt entry of %s", err, closure[1][1].Path)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output exists after the failure: %v", err)
	}
	if left := tempFiles(t, filepath.Dir(out)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	b = newBuilder(t, s, cacheDir, 0)
	img, err = buildImage(context.Background(), b, closure)
	if err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.PathsCompressed != 1 || st.LayersComputed != 1 {
		t.Errorf("stats %+v, want the damaged path compressed and its layer computed again", st)
	}
	if got := mustDigest(t, img); got != want {
		t.Errorf("digest %s, want %s", got, want)
	}
	if err := WriteArchive(context.Background(), img, out, "hello:1"); err != nil {
		t.Error(err)
	}
}

// TestCacheTempFiles checks that temporary files left by killed processes
// are not taken for entries, and that OpenCache removes those whose writer
// is gone (unlocked, past atomic.Grace) only.
func TestCacheTempFiles(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	cacheDir := t.TempDir()
	if _, err := newBuilder(t, s, cacheDir, 0).StoreLayers(context.Background(), closure); err != nil {
		t.Fatal(err)
	}
	key := pathKey(closure[0][0], modTime(testEpoch))
	fresh := filepath.Join(cacheDir, "paths", "."+key+".gz"+atomic.Marker+"123")
	old := filepath.Join(cacheDir, "layers", ".x.json"+atomic.Marker+"456")
	for _, f := range []string{fresh, old} {
		if err := os.WriteFile(f, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * atomic.Grace)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	b := newBuilder(t, s, cacheDir, 0)
	if _, err := b.StoreLayers(context.Background(), closure); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Stats{PathsReused: 4, BytesReused: b.Stats().BytesReused, LayersReused: 3}, b.Stats()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh temporary file, maybe of a build in progress, was removed: %v", err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("an old temporary file was not removed: %v", err)
	}
}

func TestOpenCacheErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"", filepath.Join(file, "cache")} {
		if _, err := OpenCache(dir); err == nil || !strings.HasPrefix(err.Error(), "opening cache: ") {
			t.Errorf("OpenCache(%q): %v, want an error", dir, err)
		}
	}
}

// TestProgress checks the events of a cold and a warm build.
func TestProgress(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	cacheDir := t.TempDir()
	for _, tc := range []struct {
		name string
		want map[string]int
	}{
		{"cold", map[string]int{"compressing": 4, "compressed": 4, "computed layer": 3}},
		{"warm", map[string]int{"reused": 4, "reused layer": 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(t, s, cacheDir, 0)
			got := map[string]int{}
			last := map[bool]Event{}
			b.Progress = func(ev Event) {
				got[ev.Kind.String()]++
				isLayer := ev.Kind == LayerComputed || ev.Kind == LayerReused
				if ev.Done > last[isLayer].Done {
					last[isLayer] = ev
				}
				if isLayer && ev.Path != "" || !isLayer && (ev.Path == "" || ev.Layer != 0) {
					t.Errorf("event %+v mixes path and layer fields", ev)
				}
			}
			if _, err := b.StoreLayers(context.Background(), closure); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if p, l := last[false], last[true]; p.Done != 4 || p.Total != 4 || l.Done != 3 || l.Total != 3 {
				t.Errorf("last events %+v and %+v, want 4 of 4 paths and 3 of 3 layers done", p, l)
			}
		})
	}
	if got := EventKind(42).String(); got != "EventKind(42)" {
		t.Errorf("unknown kind is %q", got)
	}
}
