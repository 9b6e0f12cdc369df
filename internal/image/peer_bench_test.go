package image

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// BenchmarkAssembleVsPeer runs, in each iteration and on the same closure,
// a cold build, a warm rebuild, and a peer: go-containerregistry's own way
// of making an image from a tar of the closure (one layer per store-layer,
// compressed by tarball.LayerFromOpener, written by tarball.Write). It
// reports the time ratios, which hold up on a busy machine better than
// the absolute times do:
//
//	cold/peer  a cold build (per-path members, in parallel) against the peer
//	warm/cold  a rebuild from the cache against a cold build
func BenchmarkAssembleVsPeer(b *testing.B) {
	s, closure, size := benchClosure(b)
	b.SetBytes(size)
	var cold, warm, peer time.Duration
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		cache, out := filepath.Join(dir, "cache"), filepath.Join(dir, "image.tar")
		b.StartTimer()
		start := time.Now()
		benchBuild(b, s, closure, cache, out)
		cold += time.Since(start)
		start = time.Now()
		benchBuild(b, s, closure, cache, out)
		warm += time.Since(start)
		start = time.Now()
		peerBuild(b, s, closure, filepath.Join(dir, "peer.tar"))
		peer += time.Since(start)
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(cold)/float64(peer), "cold/peer")
	b.ReportMetric(float64(warm)/float64(cold), "warm/cold")
}

// peerBuild makes the image of closure the go-containerregistry way: an
// uncompressed tar per layer on disk, compressed and hashed by
// tarball.LayerFromOpener, written by tarball.Write.
func peerBuild(b *testing.B, s *fakeStore, closure [][]StorePath, out string) {
	img := empty.Image
	for i, paths := range closure {
		tarFile := out + "." + string(rune('a'+i%26)) + ".tar"
		if err := writePlainTar(s.root, paths, tarFile); err != nil {
			b.Fatal(err)
		}
		// WithCompressedCaching: compress once, not once to hash and
		// again to write.
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return os.Open(tarFile) }, tarball.WithCompressedCaching)
		if err != nil {
			b.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			b.Fatal(err)
		}
	}
	img, err := mutate.ConfigFile(img, &v1.ConfigFile{OS: "linux", Architecture: "amd64"})
	if err != nil {
		b.Fatal(err)
	}
	if err := tarball.WriteToFile(out, name.MustParseReference("peer:1"), img); err != nil {
		b.Fatal(err)
	}
}

// writePlainTar writes the store paths under root as one uncompressed tar.
func writePlainTar(root string, paths []StorePath, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	for _, p := range paths {
		err := filepath.Walk(filepath.Join(root, p.Path), func(path string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			link := ""
			if info.Mode()&os.ModeSymlink != 0 {
				if link, err = os.Readlink(path); err != nil {
					return err
				}
			}
			h, err := tar.FileInfoHeader(info, link)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			h.Name = rel
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			if info.Mode().IsRegular() {
				in, err := os.Open(path)
				if err != nil {
					return err
				}
				defer in.Close()
				_, err = io.Copy(tw, in)
				return err
			}
			return nil
		})
		if err != nil {
			f.Close()
			return err
		}
	}
	if err := tw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
