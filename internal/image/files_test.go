package image

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFilesLayer(t *testing.T) {
	src := filepath.Join(t.TempDir(), "sudo")
	if err := os.WriteFile(src, []byte("setuid binary"), 0o555); err != nil {
		t.Fatal(err)
	}
	l, err := FilesLayer([]File{
		{Path: "/usr/bin/sudo", Mode: fs.ModeSetuid | 0o755, Source: src},
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/root:/bin/sh\n")},
		{Path: "/tmp", Mode: fs.ModeDir | fs.ModeSticky | 0o777},
		{Path: "/home/user", Mode: fs.ModeDir | 0o700, Uid: 1000, Gid: 100},
		{Path: "/bin", Mode: fs.ModeSymlink, Link: "usr/bin"},
		{Path: "/usr/bin/mail", Mode: fs.ModeSetgid | 0o755, Data: []byte("mail")},
		{Path: "/etc/empty", Mode: 0o600},
		{Path: "/etc-release", Mode: 0o644, Data: []byte("after /etc and everything in it")},
	}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range layerLines(t, l) {
		b.WriteString(line + "\n")
	}
	golden(t, "files-layer.golden", b.String())

	// The golden file shows it, but the setuid mode matters enough to
	// check it on its own too.
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	hdrs, _ := readTar(t, rc)
	for _, h := range hdrs {
		if h.Name == "usr/bin/sudo" && h.Mode != 0o4755 {
			t.Errorf("usr/bin/sudo has mode %o, want 4755", h.Mode)
		}
	}
}

// TestFilesLayerDeterministic checks that the order of the files and the
// time zone of the epoch do not change the layer.
func TestFilesLayerDeterministic(t *testing.T) {
	files := []File{
		{Path: "/a/b", Mode: 0o644, Data: []byte("b")},
		{Path: "/a.txt", Mode: 0o644, Data: []byte("a")},
		{Path: "/c", Mode: fs.ModeSymlink, Link: "a"},
	}
	reversed := []File{files[2], files[1], files[0]}
	l1, err := FilesLayer(files, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := FilesLayer(reversed, testEpoch.In(time.FixedZone("elsewhere", 5*3600)))
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := l1.Digest()
	d2, _ := l2.Digest()
	if d1 != d2 {
		t.Errorf("digests %s and %s differ", d1, d2)
	}
	rc, err := l1.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if size, _ := l1.Size(); int64(len(data)) != size {
		t.Errorf("Compressed gave %d bytes, Size says %d", len(data), size)
	}
}

func TestFilesLayerErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		files []File
		want  string
	}{
		{"duplicate", []File{{Path: "/a", Data: []byte("1")}, {Path: "/a", Data: []byte("2")}}, "/a is listed twice"},
		{"relative path", []File{{Path: "etc/passwd"}}, `path "etc/passwd" is not an absolute, clean path`},
		{"unclean path", []File{{Path: "/etc/../passwd"}}, "is not an absolute, clean path"},
		{"root", []File{{Path: "/", Mode: fs.ModeDir | 0o755}}, "is not an absolute, clean path"},
		{"parent not a directory", []File{{Path: "/etc", Data: []byte("x")}, {Path: "/etc/passwd"}}, "parent /etc of /etc/passwd is not a directory"},
		{"directory with data", []File{{Path: "/d", Mode: fs.ModeDir | 0o755, Data: []byte("x")}}, "directory /d has content"},
		{"link without target", []File{{Path: "/l", Mode: fs.ModeSymlink}}, "symbolic link /l needs a link target"},
		{"file with target", []File{{Path: "/f", Link: "x"}}, "regular file /f has a link target"},
		{"data and source", []File{{Path: "/f", Data: []byte("x"), Source: "/etc/hostname"}}, "/f has both Data and Source"},
		{"device", []File{{Path: "/dev/null", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666}}, "/dev/null is a character device"},
		{"missing source", []File{{Path: "/f", Source: filepath.Join(dir, "missing")}}, "source of /f:"},
		{"source is a directory", []File{{Path: "/f", Source: dir}}, "is not a regular file"},
		{"unix special bits", []File{{Path: "/f", Mode: 0o4755}}, "/f has mode bits 04000 that a files layer cannot hold"},
		{"negative owner", []File{{Path: "/f", Uid: -1}}, "negative owner"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FilesLayer(tc.files, testEpoch)
			if err == nil || !strings.HasPrefix(err.Error(), "building files layer: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("FilesLayer: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestFilesLayerSourceChanged checks that a source file changed after
// FilesLayer makes reading the layer fail rather than give content that
// does not match its digest.
func TestFilesLayerSourceChanged(t *testing.T) {
	src := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(src, []byte("before"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := FilesLayer([]File{{Path: "/f", Mode: 0o644, Source: src}}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data string
	}{{"same size", "after!"}, {"shorter", "aft"}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(src, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			rc, err := l.Compressed()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			if _, err := io.Copy(io.Discard, rc); err == nil {
				t.Error("reading the layer succeeded")
			}
		})
	}
}

func TestPathOrder(t *testing.T) {
	paths := []string{"a.txt", "a/b", "a", "a-b", "a/b/c", "b", "a/c"}
	got := append([]string(nil), paths...)
	sortPaths(got)
	want := []string{"a", "a/b", "a/b/c", "a/c", "a-b", "a.txt", "b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "a/b"}, parentDirs("a/b/c")); diff != "" {
		t.Errorf("parentDirs (-want +got):\n%s", diff)
	}
}

// sortPaths sorts paths in the order of pathLess.
func sortPaths(paths []string) {
	for i := 1; i < len(paths); i++ {
		for j := i; j > 0 && pathLess(paths[j], paths[j-1]); j-- {
			paths[j], paths[j-1] = paths[j-1], paths[j]
		}
	}
}
