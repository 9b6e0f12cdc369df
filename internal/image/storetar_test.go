package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/nixlayer/nixlayer/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

func TestStoreLayerGolden(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	layers, err := newBuilder(t, s, t.TempDir(), 0).StoreLayers(context.Background(), closure)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i, l := range layers {
		d, _ := l.Digest()
		id, _ := l.DiffID()
		size, _ := l.Size()
		fmt.Fprintf(&b, "# layer %d\n# digest %s\n# diffID %s\n# size %d\n", i, d, id, size)
		for _, line := range layerLines(t, l) {
			b.WriteString(line + "\n")
		}
	}
	golden(t, "store-layers.golden", b.String())
}

// TestStoreLayerNormalised checks every entry of the sample layers against
// the rules of store layers, independently of the golden file.
func TestStoreLayerNormalised(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	layers, err := newBuilder(t, s, t.TempDir(), 0).StoreLayers(context.Background(), closure)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	contentOf := map[string][]byte{}
	for i, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		hdrs, contents := readTar(t, rc)
		rc.Close()
		if len(hdrs) < 3 || hdrs[0].Name != "nix/" || hdrs[1].Name != "nix/store/" {
			t.Errorf("layer %d does not start with nix/ and nix/store/", i)
		}
		for j, h := range hdrs {
			names = append(names, h.Name)
			contentOf[h.Name] = contents[j]
			if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
				t.Errorf("%s: owner %d:%d %q:%q, want 0:0 without names", h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
			}
			if !h.ModTime.Equal(testEpoch) || !h.AccessTime.IsZero() || !h.ChangeTime.IsZero() {
				t.Errorf("%s: times %v %v %v, want mtime %v only", h.Name, h.ModTime, h.AccessTime, h.ChangeTime, testEpoch)
			}
			if h.Mode&^0o777 != 0 {
				t.Errorf("%s: mode %o has bits beyond the permissions", h.Name, h.Mode)
			}
			switch h.Typeflag {
			case tar.TypeReg, tar.TypeDir, tar.TypeSymlink:
			default:
				t.Errorf("%s: type %c, want a regular file, directory or symbolic link", h.Name, h.Typeflag)
			}
			if j > 2 && !pathLess(strings.TrimSuffix(hdrs[j-1].Name, "/"), strings.TrimSuffix(h.Name, "/")) {
				t.Errorf("%s comes after %s", h.Name, hdrs[j-1].Name)
			}
		}
	}
	hello := strings.TrimPrefix(closure[1][1].Path, "/")
	if got, want := contentOf[hello+"/bin/hi"], contentOf[hello+"/bin/hello"]; len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("hard link bin/hi has content %q, want that of bin/hello, %q", got, want)
	}
	long := hello + "/share/doc/" + longName
	if len(long) <= 100 || contentOf[long] == nil {
		t.Errorf("long path %s (%d characters) is missing", long, len(long))
	}
}

// TestStoreLayerMembers checks that a store layer is one gzip member per
// store path plus the first and last, and that a decompressor that knows
// nothing of the cache reads it as one tar archive.
func TestStoreLayerMembers(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	layers, err := newBuilder(t, s, t.TempDir(), 0).StoreLayers(context.Background(), closure)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range layers {
		rc, err := l.Compressed()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		members := 0
		br := bytes.NewReader(data)
		zr, err := gzip.NewReader(br)
		for err == nil {
			zr.Multistream(false)
			if _, err = io.Copy(io.Discard, zr); err != nil {
				t.Fatalf("layer %d member %d: %v", i, members, err)
			}
			members++
			err = zr.Reset(br)
		}
		if err != io.EOF {
			t.Fatal(err)
		}
		if want := len(closure[i]) + 2; members != want {
			t.Errorf("layer %d has %d gzip members, want %d", i, members, want)
		}
		zr, err = gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := readTar(t, zr)
		if want := layerLines(t, l); len(got) != len(want) {
			t.Errorf("layer %d: compress/gzip reads %d entries, want %d", i, len(got), len(want))
		}
	}
}

func TestStoreLayerEpoch(t *testing.T) {
	for _, tc := range []struct {
		name  string
		epoch time.Time
		want  int64
	}{
		{"zero stands for 1", time.Time{}, 1},
		{"unix zero stands for 1", time.Unix(0, 0), 1},
		{"sub-second part dropped", time.Unix(1700000000, 999999999), 1700000000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeStore(t)
			p := s.addFile("a", "a", 0o444)
			b := newBuilder(t, s, t.TempDir(), 0)
			b.Epoch = tc.epoch
			layers, err := b.StoreLayers(context.Background(), [][]StorePath{{p}})
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range layerLines(t, layers[0]) {
				if f := strings.Fields(line); f[4] != strconv.FormatInt(tc.want, 10) {
					t.Errorf("entry %q has mtime %s, want %d", line, f[4], tc.want)
				}
			}
		})
	}
}
