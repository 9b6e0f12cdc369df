package image

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// benchSizeEnv is the environment variable with the total size, in MB, of
// the synthetic closure of the benchmarks.
const benchSizeEnv = "NIXLAYER_BENCH_MB"

// syntheticClosure creates store paths in s holding about size bytes of
// file content in all, half random and half repetitive text so that it
// compresses about as well as a real closure, and returns them as layers of
// four paths. Paths differ in size and hold one large file and many small
// ones. The content depends on size alone.
func syntheticClosure(s *fakeStore, size int64) [][]StorePath {
	const pathsPerLayer = 4
	n := max(8, int(size/(8<<20)))
	rng := rand.NewChaCha8([32]byte{'n', 'i', 'x'})
	var layers [][]StorePath
	for i := range n {
		// Sizes from 1/4 to 7/4 of the mean, so that paths differ.
		pathSize := size / int64(n) * int64(1+2*(i%4)) / 4
		files := []fakeFile{{name: "lib/libbig.so", data: string(semiCompressible(rng, pathSize/2)), mode: 0o555}}
		for j := range 32 {
			files = append(files, fakeFile{
				name: fmt.Sprintf("share/data/%02d/file-%d.dat", j%4, j),
				data: string(semiCompressible(rng, pathSize/2/32)),
				mode: 0o444,
			})
		}
		p := s.add(fmt.Sprintf("synthetic-%d", i), files...)
		if i%pathsPerLayer == 0 {
			layers = append(layers, nil)
		}
		layers[len(layers)-1] = append(layers[len(layers)-1], p)
	}
	return layers
}

// semiCompressible returns n bytes made of 4 KiB blocks that are in turn
// random and lines of text.
func semiCompressible(rng *rand.ChaCha8, n int64) []byte {
	data := make([]byte, 0, n)
	block := make([]byte, 4096)
	for line := 0; int64(len(data)) < n; {
		if len(data)/4096%2 == 0 {
			rng.Read(block)
			data = append(data, block...)
			continue
		}
		for end := len(data) + 4096; len(data) < end; line++ {
			data = fmt.Appendf(data, "%08d: the quick brown fox jumps over the lazy dog\n", line%997)
		}
	}
	return data[:n]
}

// benchStore is the store of the benchmarks, made once per process, since
// making a large one takes a while.
var benchStore struct {
	once    sync.Once
	dir     string
	store   *fakeStore
	closure [][]StorePath
	bytes   int64
	err     error
}

// benchClosure returns the store and closure of the benchmarks, whose size
// comes from NIXLAYER_BENCH_MB (default 64).
func benchClosure(b *testing.B) (*fakeStore, [][]StorePath, int64) {
	b.Helper()
	benchStore.once.Do(func() {
		mb := int64(64)
		if v := os.Getenv(benchSizeEnv); v != "" {
			if mb, benchStore.err = strconv.ParseInt(v, 10, 64); benchStore.err != nil {
				return
			}
		}
		benchStore.dir, benchStore.err = os.MkdirTemp("", "nixlayer-bench-")
		if benchStore.err != nil {
			return
		}
		root := filepath.Join(benchStore.dir, "store")
		if benchStore.err = os.MkdirAll(filepath.Join(root, "nix", "store"), 0o755); benchStore.err != nil {
			return
		}
		// The store outlives the first benchmark, so it cannot use b's
		// cleanup or fail b; TestMain removes it.
		benchStore.store = &fakeStore{t: b, root: root}
		benchStore.closure = syntheticClosure(benchStore.store, mb<<20)
		benchStore.bytes = mb << 20
	})
	if benchStore.err != nil {
		b.Fatal(benchStore.err)
	}
	return benchStore.store, benchStore.closure, benchStore.bytes
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore.dir != "" {
		makeWritable(benchStore.dir)
		os.RemoveAll(benchStore.dir)
	}
	os.Exit(code)
}

// benchBuild builds the image of closure with a cache in cacheDir and
// writes its archive to out.
func benchBuild(b *testing.B, s *fakeStore, closure [][]StorePath, cacheDir, out string) *Builder {
	bl := newBuilder(b, s, cacheDir, 0)
	img, err := buildImage(context.Background(), bl, closure)
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteArchive(context.Background(), img, out, "bench:1"); err != nil {
		b.Fatal(err)
	}
	return bl
}

// BenchmarkAssembleCold builds the synthetic closure with an empty cache
// and writes its archive: compressing dominates.
func BenchmarkAssembleCold(b *testing.B) {
	s, closure, size := benchClosure(b)
	b.SetBytes(size)
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		st := benchBuild(b, s, closure, filepath.Join(dir, "cache"), filepath.Join(dir, "image.tar")).Stats()
		b.StopTimer()
		if st.PathsReused != 0 {
			b.Fatalf("cold build reused %d paths", st.PathsReused)
		}
		reportRatio(b, dir)
		os.RemoveAll(dir)
		b.StartTimer()
	}
}

// BenchmarkAssembleWarm builds the synthetic closure with a cache that
// holds it and writes its archive: streaming the cache files dominates.
func BenchmarkAssembleWarm(b *testing.B) {
	s, closure, size := benchClosure(b)
	dir := b.TempDir()
	cacheDir := filepath.Join(dir, "cache")
	out := filepath.Join(dir, "image.tar")
	benchBuild(b, s, closure, cacheDir, out)
	reportRatio(b, dir)
	b.SetBytes(size)
	for b.Loop() {
		st := benchBuild(b, s, closure, cacheDir, out).Stats()
		if st.PathsCompressed != 0 || st.LayersComputed != 0 {
			b.Fatalf("warm build did work: %+v", st)
		}
	}
}

// reportRatio reports the size of the archive in dir relative to the
// content of the closure.
func reportRatio(b *testing.B, dir string) {
	fi, err := os.Stat(filepath.Join(dir, "image.tar"))
	if err != nil {
		b.Fatal(err)
	}
	_, _, size := benchClosure(b)
	b.ReportMetric(float64(fi.Size())/float64(size), "archive/content")
}
