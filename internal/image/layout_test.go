package image

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestWriteLayout(t *testing.T) {
	img, _, _ := sampleImage(t)
	dir := filepath.Join(t.TempDir(), "layout")
	if err := WriteLayout(context.Background(), img, dir, "hello"); err != nil {
		t.Fatal(err)
	}
	back := imageFromLayout(t, dir)
	if got, want := mustDigest(t, back), mustDigest(t, img); got != want {
		t.Errorf("digest %s, want %s", got, want)
	}
	var index v1.IndexManifest
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	if got := index.Manifests[0].Annotations[AnnotationRefName]; got != "hello:latest" {
		t.Errorf("ref name %q, want hello:latest", got)
	}

	blobs, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range blobs {
		names = append(names, b.Name())
		if got := fileDigest(t, filepath.Join(dir, "blobs", "sha256", b.Name())); got != b.Name() {
			t.Errorf("blob %s has sha256 %s", b.Name(), got)
		}
	}
	ls, _ := img.Layers()
	if want := len(ls) + 2; len(names) != want {
		t.Errorf("%d blobs, want %d (config, manifest and layers)", len(names), want)
	}
	if left := tempFiles(t, filepath.Dir(dir)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteLayoutReplace checks which existing destinations WriteLayout
// replaces, and that it leaves the others as they were.
func TestWriteLayoutReplace(t *testing.T) {
	img, _, _ := sampleImage(t)
	other, err := Assemble(Config{Architecture: "riscv64"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string)
		err     string // "" when the layout must be replaced
	}{
		{"empty directory", func(t *testing.T, dir string) { mkdir(t, dir) }, ""},
		{"older layout", func(t *testing.T, dir string) {
			if err := WriteLayout(context.Background(), other, dir, "other:1"); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"directory of other files", func(t *testing.T, dir string) {
			mkdir(t, dir)
			writeFile(t, filepath.Join(dir, "notes.txt"), "keep me")
		}, "refusing to replace a directory that is not an image layout"},
		{"regular file", func(t *testing.T, dir string) { writeFile(t, dir, "keep me") }, "it exists and is not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			tc.prepare(t, dir)
			before := snapshot(t, dir)
			err := WriteLayout(context.Background(), img, dir, "hello:1")
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, want := mustDigest(t, imageFromLayout(t, dir)), mustDigest(t, img); got != want {
					t.Errorf("digest %s, want %s", got, want)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("WriteLayout: %v, want an error containing %q", err, tc.err)
				}
				if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
					t.Errorf("destination changed (-before +after):\n%s", diff)
				}
			}
			if left := tempFiles(t, filepath.Dir(dir)); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot returns the relative paths and contents of the files below
// path, or path itself if it is a file.
func snapshot(t *testing.T, path string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(path, p)
		if d.IsDir() {
			files[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestWriteLayoutSame checks that writing the layout of the image it
// already holds leaves it as it is, and that a damaged blob makes it write
// the layout again.
func TestWriteLayoutSame(t *testing.T) {
	img, _, _ := sampleImage(t)
	dir := filepath.Join(t.TempDir(), "layout")
	if err := WriteLayout(context.Background(), img, dir, "hello"); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteLayout(context.Background(), img, dir, "hello"); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(filepath.Join(dir, "index.json"))
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("the same image's layout was written again (%v)", err)
	}
	ls, _ := img.Layers()
	d, _ := ls[0].Digest()
	blob := filepath.Join(dir, "blobs", "sha256", d.Hex)
	if err := os.Chmod(blob, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blob, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteLayout(context.Background(), img, dir, "hello"); err != nil {
		t.Fatal(err)
	}
	if got := fileDigest(t, blob); got != d.Hex {
		t.Errorf("the damaged blob has sha256 %s after the write, want %s", got, d.Hex)
	}
}
