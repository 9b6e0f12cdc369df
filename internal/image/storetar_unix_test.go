//go:build unix

package image

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// TestStoreLayerSpecialFiles checks that a store path holding a file that a
// layer cannot hold is an error naming the file and its kind, and leaves no
// cache entry.
func TestStoreLayerSpecialFiles(t *testing.T) {
	for _, tc := range []struct {
		kind string
		make func(t *testing.T, path string)
	}{
		{"named pipe", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"socket", func(t *testing.T, path string) {
			l, err := net.Listen("unix", path)
			if err != nil {
				t.Skipf("cannot make a socket at %s: %v", path, err)
			}
			t.Cleanup(func() { l.Close() })
		}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			s := newFakeStore(t)
			p := s.add("odd", fakeFile{name: "ok", data: "ok"})
			dir := nix.Root(s.root).Path(p.Path)
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			tc.make(t, filepath.Join(dir, "s"))
			cacheDir := t.TempDir()
			_, err := newBuilder(t, s, cacheDir, 0).StoreLayers(context.Background(), [][]StorePath{{p}})
			if err == nil {
				t.Fatal("StoreLayers succeeded")
			}
			for _, want := range []string{p.Path + "/s", tc.kind} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			entries, _ := os.ReadDir(filepath.Join(cacheDir, "paths"))
			if len(entries) != 0 {
				t.Errorf("cache holds %d files after the failure, want none", len(entries))
			}
		})
	}
}
