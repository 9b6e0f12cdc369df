package main

import (
	"archive/tar"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// arm64Env is buildEnv for tests of linux/arm64 images on a machine that
// runs arm64 programs, natively or under emulation, with the test
// universe's aarch64-linux packages (which the shared test store builds
// once, under emulation on amd64).
func arm64Env(t *testing.T) (arm64 platform.Platform, cache string) {
	t.Helper()
	arm64, err := platform.Parse("linux/arm64")
	if err != nil {
		t.Fatal(err)
	}
	testenv.RequirePlatform(t, arm64)
	testenv.UniverseFor(t, arm64.System)
	return arm64, buildEnv(t)
}

// TestArm64Images builds a devcontainer and a runtime image for
// linux/arm64 and runs them, under emulation on amd64: in a chroot as uid
// 1000, and with the tests' Docker daemon.
func TestArm64Images(t *testing.T) {
	arm64, _ := arm64Env(t)
	start := time.Now()
	_, dev, devTar := build(t, "devcontainer", "base,devTools,nixTools,python", "--platform", arm64.OCI, "--tag", "nixlayer/devcontainer:arm64")
	_, rt, runTar := build(t, "runtime", "base,python", "--platform", arm64.OCI, "--tag", "nixlayer/runtime:arm64")
	docker := testenv.DockerLoad(t, devTar, runTar)
	t.Logf("building the arm64 devcontainer and runtime took %v", time.Since(start))

	t.Run("the config names the platform", func(t *testing.T) {
		for _, img := range []v1.Image{dev, rt} {
			cfg := config(t, img)
			if cfg.OS != arm64.OS || cfg.Architecture != arm64.Architecture || cfg.Variant != arm64.Variant {
				t.Errorf("config platform %s/%s/%s, want %s/%s", cfg.OS, cfg.Architecture, cfg.Variant, arm64.OCI, arm64.Variant)
			}
		}
	})

	t.Run("every program is an arm64 program", func(t *testing.T) {
		for name, img := range map[string]v1.Image{"devcontainer": dev, "runtime": rt} {
			machines := elfMachines(t, img)
			if len(machines) != 1 || machines[arm64.ELFMachine] == 0 {
				t.Errorf("the %s image's ELF files by machine: %v; want only %d (%s)", name, machines, arm64.ELFMachine, arm64.OCI)
			}
		}
	})

	t.Run("devcontainer runs as vscode under emulation", func(t *testing.T) {
		cfg := config(t, dev)
		root := unpack(t, dev)
		checks := []struct {
			argv []string
			want string
		}{
			{[]string{"uname", "-m"}, "aarch64\n"},
			{[]string{"id", "-u"}, "1000\n"},
			{[]string{"python3", "-c", "print(1)"}, "1\n"},
			{[]string{"nix", "--version"}, "nix (Nix) 2.8.0\n"},
			{[]string{"bash", "-lc", "direnv version"}, "2."},
		}
		for _, c := range checks {
			if out, err := inImage(t, root, cfg, 1000, c.argv...); err != nil || !strings.HasPrefix(out, c.want) {
				t.Errorf("%s: output %q, error %v; want %q", strings.Join(c.argv, " "), out, err, c.want)
			}
		}
		testenv.RequireSetuid(t, arm64)
		if out, err := inImage(t, root, cfg, 1000, "sudo", "-n", "id", "-u"); err != nil || out != "0\n" {
			t.Errorf("sudo -n id -u: %q, %v; want 0", out, err)
		}
	})

	t.Run("runtime runs as app and has no setuid file", func(t *testing.T) {
		cfg := config(t, rt)
		root := unpack(t, rt)
		if out, err := inImage(t, root, cfg, 1000, "id", "-u"); err != nil || out != "1000\n" {
			t.Errorf("id -u: %q, %v", out, err)
		}
		if out, err := inImage(t, root, cfg, 1000, "python3", "-c", "import platform, ssl; print(platform.machine(), ssl.OPENSSL_VERSION[:7])"); err != nil || out != "aarch64 OpenSSL\n" {
			t.Errorf("python3 with ssl: %q, %v", out, err)
		}
		for _, tool := range []string{"sudo", "nix"} {
			if _, err := os.Lstat(filepath.Join(root, "usr/bin", tool)); err == nil {
				t.Errorf("the runtime image has %s", tool)
			}
		}
		if files := setuidFiles(t, root); len(files) > 0 {
			t.Errorf("setuid or setgid files: %v", files)
		}
	})

	t.Run("an editor attaches to a devcontainer of base,python", func(t *testing.T) {
		_, img, _ := build(t, "devcontainer", "base,python", "--platform", arm64.OCI)
		root := unpack(t, img)
		if target, err := os.Readlink(filepath.Join(root, arm64.Loader)); err != nil || !strings.HasPrefix(target, "/nix/store/") || !strings.HasSuffix(target, "/lib/"+filepath.Base(arm64.Loader)) {
			t.Errorf("%s links to %q (%v), want glibc's loader in the store", arm64.Loader, target, err)
		}
		// Debian's arm64 patchelf, as Debian built it: a C++ program that
		// needs /lib/ld-linux-aarch64.so.1, libstdc++.so.6 and glibc from
		// the FHS directories, in a tarball, as VS Code's server is.
		data, err := os.ReadFile(editorServer(t, arm64.System))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "tmp", "server.tar.gz"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := inImage(t, root, config(t, img), 1000, editorSteps(arm64, "/tmp/server.tar.gz")...); err != nil || out != editorWant {
			t.Errorf("an editor's server install under emulation: %q, %v; want %q", out, err, editorWant)
		}
	})

	t.Run("docker runs both as linux/arm64", func(t *testing.T) {
		d := docker(t)
		ctx := t.Context()
		runs := []struct {
			image string
			argv  []string
			want  string
		}{
			{"nixlayer/devcontainer:arm64", []string{"uname", "-m"}, "aarch64\n"},
			{"nixlayer/devcontainer:arm64", []string{"id", "-un"}, "vscode\n"},
			{"nixlayer/devcontainer:arm64", []string{"nix", "--version"}, "nix (Nix) 2.8.0\n"},
			{"nixlayer/devcontainer:arm64", []string{"python3", "-c", "print(1)"}, "1\n"},
			{"nixlayer/runtime:arm64", []string{"id", "-u"}, "1000\n"},
			{"nixlayer/runtime:arm64", []string{"python3", "-c", "import platform; print(platform.machine())"}, "aarch64\n"},
		}
		run := func(t *testing.T, image, want string, argv ...string) {
			args := append([]string{"run", "--rm", "--platform", arm64.OCI, "--network", "none", image}, argv...)
			out, err := d.Command(ctx, args...).Output()
			if err != nil || !strings.HasPrefix(string(out), want) {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Errorf("docker %s: %q, %v %s; want %q", strings.Join(args, " "), out, err, stderr, want)
			}
		}
		for _, r := range runs {
			run(t, r.image, r.want, r.argv...)
		}
		t.Run("sudo", func(t *testing.T) {
			testenv.RequireSetuid(t, arm64)
			run(t, "nixlayer/devcontainer:arm64", "0\n", "sudo", "-n", "id", "-u")
		})
	})
}

// elfMachines counts the ELF files of every layer of img by their
// e_machine field.
func elfMachines(t *testing.T, img v1.Image) map[uint16]int {
	t.Helper()
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint16]int{}
	for _, l := range ls {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			var head [20]byte
			if h.Typeflag != tar.TypeReg || h.Size < int64(len(head)) {
				continue
			}
			if _, err := io.ReadFull(tr, head[:]); err != nil {
				t.Fatal(err)
			}
			if string(head[:4]) == "\x7fELF" {
				out[binary.LittleEndian.Uint16(head[18:])]++
			}
		}
		rc.Close()
	}
	return out
}
