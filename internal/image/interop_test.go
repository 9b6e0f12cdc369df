package image

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/testenv"
)

// requireTool skips the test when tool is not in PATH, or fails it in CI,
// which installs skopeo and umoci (see testenv.Require).
func requireTool(t *testing.T, tool string) {
	t.Helper()
	testenv.Require(t, tool)
}

// run runs a command and returns its standard output.
func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestInteropSkopeo reads the archive with skopeo as a docker archive,
// which uses manifest.json as docker load does, and as an OCI archive.
func TestInteropSkopeo(t *testing.T) {
	requireTool(t, "skopeo")
	img, _, _ := sampleImage(t)
	out := filepath.Join(t.TempDir(), "image.tar")
	if err := WriteArchive(context.Background(), img, out, "example.com/hello:1.0"); err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, transport := range []string{"docker-archive:", "oci-archive:"} {
		t.Run(transport, func(t *testing.T) {
			var info struct {
				Architecture, Os string
				Layers           []string
				Env              []string
			}
			if err := json.Unmarshal(run(t, "skopeo", "inspect", transport+out), &info); err != nil {
				t.Fatal(err)
			}
			if info.Architecture != "amd64" || info.Os != "linux" || len(info.Layers) != len(layers) || len(info.Env) != 1 {
				t.Errorf("skopeo inspect gave %+v, want linux/amd64 with %d layers and PATH", info, len(layers))
			}
			// Copying checks every blob against its digest.
			run(t, "skopeo", "--insecure-policy", "copy", "--quiet", transport+out, "dir:"+t.TempDir())
		})
	}
}

// TestInteropUmoci copies the archive to an OCI layout with skopeo and
// unpacks it with umoci, then checks the files of the root filesystem.
func TestInteropUmoci(t *testing.T) {
	requireTool(t, "skopeo")
	requireTool(t, "umoci")
	img, _, closure := sampleImage(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "image.tar")
	if err := WriteArchive(context.Background(), img, out, "hello:1"); err != nil {
		t.Fatal(err)
	}
	run(t, "skopeo", "--insecure-policy", "copy", "--quiet", "oci-archive:"+out, "oci:"+filepath.Join(dir, "oci")+":hello")
	bundle := filepath.Join(dir, "bundle")
	args := []string{"unpack", "--image", filepath.Join(dir, "oci") + ":hello", bundle}
	if os.Getuid() != 0 {
		args = []string{"unpack", "--rootless", "--image", filepath.Join(dir, "oci") + ":hello", bundle}
	}
	run(t, "umoci", args...)
	t.Cleanup(func() { makeWritable(bundle) })
	rootfs := filepath.Join(bundle, "rootfs")
	hello := closure[1][1].Path
	checks := map[string]func(fi os.FileInfo) bool{
		hello + "/bin/hello": func(fi os.FileInfo) bool { return fi.Mode().Perm() == 0o555 },
		hello + "/lib":       func(fi os.FileInfo) bool { return fi.Mode()&os.ModeSymlink != 0 },
		"/etc/passwd":        func(fi os.FileInfo) bool { return fi.Mode().IsRegular() },
		"/tmp":               func(fi os.FileInfo) bool { return fi.IsDir() && fi.Mode()&os.ModeSticky != 0 },
	}
	for p, ok := range checks {
		fi, err := os.Lstat(filepath.Join(rootfs, p))
		if err != nil {
			t.Errorf("unpacked image lacks %s: %v", p, err)
			continue
		}
		if !ok(fi) {
			t.Errorf("%s has mode %v", p, fi.Mode())
		}
	}
}
