package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

func TestMain(m *testing.M) {
	testenv.ServeRootfs()
	os.Exit(m.Run())
}

// readLayout returns the one image of an OCI layout directory.
func readLayout(t *testing.T, dir string) v1.Image {
	t.Helper()
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 1 {
		t.Fatalf("%s holds %d manifests, want 1", dir, len(m.Manifests))
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// storeLayers maps every store path of img's layers to its layer's digest,
// from the layers' annotations, and checks that no path is in two layers.
func storeLayers(t *testing.T, img v1.Image) map[string]string {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range m.Layers {
		paths := l.Annotations[image.AnnotationStorePaths]
		if paths == "" {
			continue
		}
		for _, p := range strings.Split(paths, "\n") {
			if prev, dup := out[p]; dup {
				t.Errorf("%s is in layers %s and %s", p, prev, l.Digest)
			}
			out[p] = l.Digest.String()
		}
	}
	return out
}

// unpack flattens img into a new directory with GNU tar, keeping owners
// and modes (setuid included, as root does), and returns it.
func unpack(t *testing.T, img v1.Image) string {
	t.Helper()
	dir := t.TempDir()
	t.Cleanup(func() {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { return os.Chmod(p, 0o755) })
	})
	r := mutate.Extract(img)
	defer r.Close()
	cmd := exec.Command("tar", "-x", "-p", "--numeric-owner", "-C", dir)
	cmd.Stdin = r
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("unpacking the image: %v\n%s", err, out)
	}
	return dir
}

// inImage runs argv in the unpacked image root as uid:gid, with the image's
// environment, and returns its standard output.
func inImage(t *testing.T, root string, cfg *v1.ConfigFile, uid int, argv ...string) (string, error) {
	t.Helper()
	env := append([]string{"HOME=/home/vscode", "USER=vscode", "TERM=dumb"}, cfg.Config.Env...)
	if uid == 0 {
		env[0], env[1] = "HOME=/root", "USER=root"
	}
	stdout, stderr, err := testenv.RunInRoot(t, testenv.Command{Root: root, UID: uid, GID: uid, Env: env, Argv: argv, Dir: cfg.Config.WorkingDir})
	if err != nil {
		t.Logf("%s as %d: %v\nstdout: %s\nstderr: %s", strings.Join(argv, " "), uid, err, stdout, stderr)
	}
	return stdout, err
}
