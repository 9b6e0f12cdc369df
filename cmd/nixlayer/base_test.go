package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestBaseImage builds images on a Debian image made from the universe's
// .deb files, which stands in for a certified distribution such as Ubuntu
// FIPS, and runs them.
func TestBaseImage(t *testing.T) {
	baseDir := testenv.DebianBase(t)
	buildEnv(t)
	base := readLayout(t, baseDir)
	baseDigest, err := base.Digest()
	if err != nil {
		t.Fatal(err)
	}
	baseRoot := unpack(t, base)
	const devSets = "base,devTools,nixTools,python"
	_, scratch, _ := build(t, "devcontainer", devSets)
	devSum, dev, devTar := build(t, "devcontainer", devSets, "--base-image", baseDir)
	docker := testenv.DockerLoad(t, devTar)

	t.Run("the base's layers, then the scratch image's store layers", func(t *testing.T) {
		got, want := layerDigests(t, dev), slices.Concat(layerDigests(t, base), layerDigests(t, scratch))
		// The customisation layers differ; every other layer is the same blob.
		if len(got) != len(want) || !slices.Equal(got[:len(got)-1], want[:len(want)-1]) || got[len(got)-1] == want[len(want)-1] {
			t.Errorf("layers:\n%s\nwant the base's, then the scratch image's but its customisation:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if diff := cmp.Diff(storeLayers(t, scratch), storeLayers(t, dev)); diff != "" {
			t.Errorf("store layers (-scratch +on the base):\n%s", diff)
		}
		cfg := config(t, dev)
		if devSum.BaseDigest != baseDigest.String() || cfg.Config.Labels[rootfs.LabelBaseDigest] != baseDigest.String() || devSum.BaseLayers != 2 {
			t.Errorf("summary base %s (%d layers), label %q; want %s", devSum.BaseDigest, devSum.BaseLayers, cfg.Config.Labels[rootfs.LabelBaseDigest], baseDigest)
		}
		if len(cfg.History) != len(config(t, base).History)+len(got)-2 {
			t.Errorf("%d history entries, want the base's %d and one per layer of nixlayer's", len(cfg.History), len(config(t, base).History))
		}
	})

	root := unpack(t, dev)
	t.Run("the base's files survive", func(t *testing.T) {
		checkBaseKept(t, baseRoot, root, devMerged)
		for _, u := range testenv.BaseUsers {
			name, id, _ := strings.Cut(u, ":")
			if !strings.Contains(readFile(t, root, "etc/passwd"), "\n"+name+":x:"+id+":") && !strings.HasPrefix(readFile(t, root, "etc/passwd"), name+":x:"+id+":") {
				t.Errorf("/etc/passwd lost %s", u)
			}
		}
		if !strings.HasSuffix(readFile(t, root, "etc/passwd"), "\nvscode:x:1000:1000:vscode:/home/vscode:/bin/bash\n") {
			t.Errorf("/etc/passwd gained no vscode:\n%s", readFile(t, root, "etc/passwd"))
		}
		if !strings.Contains(readFile(t, root, "etc/os-release"), "ID=debian") {
			t.Errorf("/etc/os-release is not the base's: %q", readFile(t, root, "etc/os-release"))
		}
		if _, err := os.Lstat(filepath.Join(root, "etc/motd")); err == nil {
			t.Error("/etc/motd, which the base's second layer removes, is back")
		}
		cfg := config(t, dev).Config
		if cfg.StopSignal != "SIGQUIT" || cfg.Labels["org.example.distribution"] != "debian-12-standin" || !slices.Contains(cfg.Env, "DEBIAN_FRONTEND=noninteractive") {
			t.Errorf("the base's config is lost: stop signal %q, labels %v, env %v", cfg.StopSignal, cfg.Labels, cfg.Env)
		}
		if want := "PATH=/home/vscode/.nix-profile/bin:/nix/var/nix/profiles/default/bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"; cfg.Env[0] != want {
			t.Errorf("%s, want %s", cfg.Env[0], want)
		}
	})

	t.Run("vscode's tools work", func(t *testing.T) {
		cfg := config(t, dev)
		py := ""
		for p := range storeLayers(t, dev) {
			if strings.Contains(p, "-python3-") {
				py = p
			}
		}
		for _, c := range []struct {
			argv []string
			want string
		}{
			{[]string{"id", "-un"}, "vscode\n"},
			{[]string{"sudo", "-n", "id", "-u"}, "0\n"},
			{[]string{"bash", "-c", "command -v sudo"}, "/usr/local/bin/sudo\n"},
			{[]string{"bash", "-lc", "direnv version"}, "2."},
			// A login shell, whose /etc/profile sets PATH anew, keeps the
			// Nix profiles and the image's programs first.
			{[]string{"bash", "-lc", "echo $PATH"}, "/home/vscode/.nix-profile/bin:/nix/var/nix/profiles/default/bin:/usr/local/bin:/usr/local/sbin:"},
			{[]string{"python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))"}, py},
			{[]string{"nix", "--version"}, "nix (Nix) 2.8.0\n"},
			{[]string{"nix-store", "--verify-path", py}, ""},
			// The base's own programs run, with the base's loader and libc.
			{[]string{"/usr/bin/ls", "--version"}, "ls (GNU coreutils) 9.1\n"},
			{[]string{"/bin/bash", "-c", "echo $BASH_VERSION"}, "5.2.15"},
		} {
			out, err := inImage(t, root, cfg, 1000, c.argv...)
			if err != nil || !strings.HasPrefix(out, c.want) {
				t.Errorf("%s: output %q, error %v; want %q", strings.Join(c.argv, " "), out, err, c.want)
			}
		}
		updateUID(t, root, cfg, 1234)
		checkNixWorks(t, root, cfg, 1234, py)
	})

	t.Run("an editor attaches, with the base's loader", func(t *testing.T) {
		host, err := platform.Host()
		if err != nil {
			t.Skip(err)
		}
		data, err := os.ReadFile(editorServer(t, host.System))
		if err != nil {
			t.Fatal(err)
		}
		edRoot := unpack(t, dev)
		if err := os.WriteFile(filepath.Join(edRoot, "tmp", "server.tar.gz"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if target, err := os.Readlink(filepath.Join(edRoot, host.Loader)); err == nil && strings.HasPrefix(target, "/nix/store/") {
			t.Errorf("%s links to Nix's loader, %s: the base's own must count", host.Loader, target)
		}
		if out, err := inImage(t, edRoot, config(t, dev), 1000, editorSteps(host, "/tmp/server.tar.gz")...); err != nil || out != editorWant {
			t.Errorf("an editor's server install on the base: %q, %v; want %q", out, err, editorWant)
		}
	})

	t.Run("runtime adds no setuid file", func(t *testing.T) {
		sum, rt, _ := build(t, "runtime", "base,python", "--base-image", baseDir)
		root := unpack(t, rt)
		want := setuidFiles(t, baseRoot)
		if len(want) == 0 {
			t.Fatal("the base has no setuid file to report")
		}
		if got := setuidFiles(t, root); !slices.Equal(got, want) {
			t.Errorf("setuid or setgid files %q, want the base's own %q", got, want)
		}
		if !slices.Equal(sum.BaseSetuid, want) {
			t.Errorf("the summary reports %q, want %q", sum.BaseSetuid, want)
		}
		checkBaseKept(t, baseRoot, root, runtimeMerged)
		if out, err := inImage(t, root, config(t, rt), 1000, "python3", "-c", "import ssl; print(ssl.OPENSSL_VERSION[:7])"); err != nil || out != "OpenSSL\n" {
			t.Errorf("python3 with ssl: %q, %v", out, err)
		}
		code, stdout, stderr := cli(t, "build", "runtime", "--sets", "base,python", "--base-image", baseDir, "--fail-on-base-setuid", "-o", filepath.Join(t.TempDir(), "x.tar"))
		if code != exitFailure || stdout != "" || strings.Contains(stderr, "planning") || !strings.Contains(stderr, "--fail-on-base-setuid refuses: /usr/bin/sudo") {
			t.Errorf("--fail-on-base-setuid: exit status %d, %q, %q; want a failure before Nix", code, stdout, stderr)
		}
	})

	t.Run("the same base and inputs give the same digest", func(t *testing.T) {
		dir := t.TempDir()
		ociArchive := filepath.Join(dir, "base.oci.tar")
		tarDir(t, baseDir, ociArchive)
		dockerArchive := filepath.Join(dir, "base.docker.tar")
		if err := tarball.WriteToFile(dockerArchive, name.MustParseReference("debian:12"), base); err != nil {
			t.Fatal(err)
		}
		reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
		defer reg.Close()
		ref := strings.TrimPrefix(reg.URL, "http://") + "/debian:12"
		r, err := name.ParseReference(ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(r, base); err != nil {
			t.Fatal(err)
		}
		t.Setenv("NIXLAYER_CACHE", t.TempDir())
		again, _, _ := build(t, "devcontainer", devSets, "--base-image", baseDir, "--refresh")
		if again.Digest != devSum.Digest {
			t.Errorf("built again: %s, first %s", again.Digest, devSum.Digest)
		}
		// The base as a layout, an OCI archive and in a registry is the
		// same manifest, so gives the same image.
		digests := map[string]string{}
		for _, src := range []string{baseDir, ociArchive, ref} {
			s, img, _ := build(t, "devcontainer", devSets, "--base-image", src, "--base-image-name", "debian:12")
			digests[s.Digest] += " " + src
			if got := config(t, img).Config.Labels[rootfs.LabelBaseName]; got != "debian:12" {
				t.Errorf("on %s: base name %q", src, got)
			}
		}
		if len(digests) != 1 {
			t.Errorf("the same base gives several images: %v", digests)
		}
		// A docker archive's manifest is made anew, with Docker's media
		// types, so its digest differs; its layers are the same blobs.
		_, img, _ := build(t, "devcontainer", devSets, "--base-image", dockerArchive)
		if got, want := layerDigests(t, img), layerDigests(t, dev); !slices.Equal(got[:len(got)-1], want[:len(want)-1]) {
			t.Errorf("on the docker archive, layers %q, want %q", got, want)
		}
	})

	t.Run("a uid clash fails at once", func(t *testing.T) {
		clash := withFile(t, base, "etc/passwd", readFile(t, baseRoot, "etc/passwd")+"ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n")
		code, stdout, stderr := cli(t, "build", "devcontainer", "--base-image", clash, "-o", filepath.Join(t.TempDir(), "x.tar"), "-q")
		want := `gives uid 1000 to "ubuntu", and nixlayer gives it to vscode; use a base without "ubuntu"`
		if code != exitBadInput || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit status %d, %q, %q; want bad input before Nix, saying %q", code, stdout, stderr, want)
		}
		code, _, stderr = cli(t, "build", "runtime", "--base-image", filepath.Join(t.TempDir(), "missing"), "-o", filepath.Join(t.TempDir(), "x.tar"), "-q")
		if code != exitBadInput || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "no such file or directory") {
			t.Errorf("a missing base: exit status %d, %q", code, stderr)
		}
	})

	t.Run("docker runs it", func(t *testing.T) {
		d := docker(t)
		ctx := t.Context()
		for _, c := range []struct {
			argv []string
			want string
		}{
			{[]string{"sudo", "-n", "id", "-u"}, "0\n"},
			{[]string{"bash", "-lc", "direnv version && python3 -c 'print(1)'"}, "2."},
			{[]string{"/usr/bin/ls", "--version"}, "ls (GNU coreutils) 9.1\n"},
			{[]string{"sh", "-c", "grep -c . /etc/passwd && readlink /bin"}, "7\nusr/bin\n"},
		} {
			args := append([]string{"run", "--rm", "--network", "none", "nixlayer/devcontainer:latest"}, c.argv...)
			// Standard output alone: sudo warns that it cannot resolve
			// the host name in a container without a network.
			out, err := d.Command(ctx, args...).Output()
			if err != nil || !strings.HasPrefix(string(out), c.want) {
				t.Errorf("docker %s: %q, %v; want %q", strings.Join(args, " "), out, err, c.want)
			}
		}
	})
}

// layerDigests returns the digests of img's layers, in order.
func layerDigests(t *testing.T, img v1.Image) []string {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range m.Layers {
		out = append(out, l.Digest.String())
	}
	return out
}

func readFile(t *testing.T, root, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, p))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The base's files that the customisation adds lines to: the accounts of
// each kind's user, and a devcontainer's sudo policy. A devcontainer
// replaces two more: its sudo's plugins and PAM configuration, which the
// base's sudo (later in PATH) had.
var (
	runtimeMerged = map[string]bool{"etc/passwd": true, "etc/group": true, "etc/shadow": true, "etc/gshadow": true}
	devMerged     = map[string]bool{"etc/passwd": true, "etc/group": true, "etc/shadow": true, "etc/gshadow": true, "etc/sudoers": true,
		"etc/sudo.conf": false, "etc/pam.d/sudo": false}
)

// checkBaseKept checks that every entry of the unpacked base is in the
// unpacked image as it was: the same type, mode, owner, link target and
// content, but for the files of merged, which start with the base's
// content when true and are replaced when false.
func checkBaseKept(t *testing.T, base, img string, merged map[string]bool) {
	t.Helper()
	changed := 0
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		if rel == "." {
			return nil
		}
		bi, _ := os.Lstat(p)
		ii, err := os.Lstat(filepath.Join(img, rel))
		if err != nil {
			t.Errorf("the image has no /%s: %v", rel, err)
			changed++
			return nil
		}
		if bi.Mode() != ii.Mode() || owner(bi) != owner(ii) {
			t.Errorf("/%s: %v %s in the base, %v %s in the image", rel, bi.Mode(), owner(bi), ii.Mode(), owner(ii))
			changed++
		}
		switch {
		case bi.Mode()&fs.ModeSymlink != 0:
			bl, _ := os.Readlink(p)
			il, _ := os.Readlink(filepath.Join(img, rel))
			if bl != il {
				t.Errorf("/%s links to %s, in the base to %s", rel, il, bl)
			}
		case bi.Mode().IsRegular():
			bd, _ := os.ReadFile(p)
			id, _ := os.ReadFile(filepath.Join(img, rel))
			adds, ok := merged[rel]
			switch {
			case adds && (!bytes.HasPrefix(id, bd) || len(id) == len(bd)):
				t.Errorf("/%s does not add to the base's", rel)
			case ok && !adds && bytes.Equal(bd, id):
				t.Errorf("/%s is the base's, not nixlayer's", rel)
			case !ok && !bytes.Equal(bd, id):
				t.Errorf("/%s differs from the base's", rel)
				changed++
			}
		}
		if changed > 10 {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// owner is the owner of a file, as uid:gid.
func owner(fi fs.FileInfo) string {
	st := fi.Sys().(*syscall.Stat_t)
	return fmt.Sprintf("%d:%d", st.Uid, st.Gid)
}

// setuidFiles are the regular files under root that are setuid or setgid,
// as absolute paths of the image.
func setuidFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() && fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
			out = append(out, strings.TrimPrefix(p, root))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tarDir writes the files of dir into a tar file, as an OCI archive holds
// a layout.
func tarDir(t *testing.T, dir, file string) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: rel, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// withFile returns an OCI layout of img with a layer that writes data at
// p.
func withFile(t *testing.T, img v1.Image, p, data string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: p, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.AppendLayers(img, l)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return dir
}
