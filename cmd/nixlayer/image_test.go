package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

func TestMain(m *testing.M) {
	testenv.ServeRootfs()
	code := m.Run()
	testenv.StopSharedDockerd()
	os.Exit(code)
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
		// Directories only: os.Chmod follows links, and an image's absolute
		// links (such as a unit masked with a link to /dev/null) name the
		// host's files.
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				return os.Chmod(p, 0o755)
			}
			return nil
		})
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

// updateUID does to the unpacked devcontainer what the devcontainer CLI's
// updateRemoteUserUID does, as root: it gives vscode (and its group) the
// uid and gid of the host's user with sed, and chowns the home directory;
// then it runs the image's onCreateCommand as the new uid, as the CLI
// does once the container exists.
func updateUID(t *testing.T, root string, cfg *v1.ConfigFile, uid int) {
	t.Helper()
	id := strconv.Itoa(uid)
	for _, argv := range [][]string{
		{"sed", "-i", "-e", "s/^vscode:x:1000:1000:/vscode:x:" + id + ":" + id + ":/", "/etc/passwd"},
		{"sed", "-i", "-e", "s/^vscode:x:1000:/vscode:x:" + id + ":/", "/etc/group"},
		{"chown", "-R", id + ":" + id, "/home/vscode"},
	} {
		if _, err := inImage(t, root, cfg, 0, argv...); err != nil {
			t.Fatalf("%s: %v", strings.Join(argv, " "), err)
		}
	}
	if out, err := inImage(t, root, cfg, uid, rootfs.OwnNix); err != nil {
		t.Fatalf("%s as %d: %q, %v", rootfs.OwnNix, uid, out, err)
	}
}

// checkNixWorks checks that Nix works as uid, without sudo: it evaluates,
// verifies a store path of the image, and builds a derivation.
func checkNixWorks(t *testing.T, root string, cfg *v1.ConfigFile, uid int, storePath string) {
	t.Helper()
	// preferLocalBuild: the universe's nix is Debian's, whose build hook
	// is at a path the image does not have.
	build := `derivation { name = "hello"; system = "` + platform.HostSystem() + `"; builder = "/bin/sh"; args = [ "-c" "echo hello > $out" ]; preferLocalBuild = true; }`
	for _, c := range []struct {
		argv []string
		want string
	}{
		{[]string{"nix", "eval", "--expr", "1 + 1"}, "2\n"},
		{[]string{"nix-store", "--verify-path", storePath}, ""},
		{[]string{"nix", "build", "--impure", "--no-link", "--json", "--expr", build}, `[{"drvPath":"/nix/store/`},
	} {
		out, err := inImage(t, root, cfg, uid, c.argv...)
		if err != nil || !strings.HasPrefix(out, c.want) {
			t.Errorf("%s as %d: %q, %v; want %q", strings.Join(c.argv, " "), uid, out, err, c.want)
		}
	}
	// Run again, the onCreateCommand finds /nix the user's and does nothing.
	if out, err := inImage(t, root, cfg, uid, rootfs.OwnNix); err != nil || out != "" {
		t.Errorf("%s again: %q, %v", rootfs.OwnNix, out, err)
	}
}

// checkOSRelease checks that /etc/os-release names nixlayer and the kind,
// as tools that identify the image read it.
func checkOSRelease(t *testing.T, root, kind string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "etc/os-release"))
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(l, "=")
		fields[k] = strings.Trim(v, `"`)
	}
	if fields["ID"] != "nixlayer" || fields["VARIANT_ID"] != kind || fields["VERSION_ID"] == "" || !strings.HasPrefix(fields["PRETTY_NAME"], "nixlayer "+kind) {
		t.Errorf("/etc/os-release of the %s image: %q", kind, data)
	}
}
