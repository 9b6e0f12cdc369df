package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// editorServer makes what an editor downloads into a devcontainer to run
// its server there (VS Code's vscode-server-linux-x64.tar.gz holds a
// Node.js built for glibc distributions): a gzip tarball of a dynamically
// linked program built for Debian, whose interpreter is the FHS loader and
// which links the C++ runtime. Debian's patchelf, unpatched, is such a
// program.
func editorServer(t *testing.T, system string) string {
	t.Helper()
	testenv.Require(t, "dpkg-deb")
	deb := testenv.UniverseDeb(t, system, "patchelf")
	x := t.TempDir()
	if out, err := exec.Command("dpkg-deb", "-x", deb, x).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x %s: %v\n%s", deb, err, out)
	}
	prog, err := os.ReadFile(filepath.Join(x, "usr/bin/patchelf"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "server.tar.gz")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, h := range []*tar.Header{
		{Name: "server/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "server/bin/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "server/bin/server", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(prog))},
	} {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tw.Write(prog); err != nil {
		t.Fatal(err)
	}
	for _, c := range []interface{ Close() error }{tw, zw, f} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return file
}

// editorSteps is what an editor's server install does in the container as
// its user, with the tarball at archive: unpack it with tar (and gzip) in
// the home directory, run the program, and run it again through the
// platform's FHS loader, then read its shell's name and look its user up,
// as its scripts do.
func editorSteps(p platform.Platform, archive string) []string {
	return []string{"bash", "-c", strings.Join([]string{
		"set -e",
		"cd ~ && mkdir -p .vscode-server && cd .vscode-server",
		"tar -xzf " + archive,
		"./server/bin/server --version",
		p.Loader + " ./server/bin/server --version",
		"cat /proc/$$/comm",
		"getent passwd $(id -un) | cut -d: -f1",
	}, "\n")}
}

// editorWant is the output of editorSteps.
const editorWant = "patchelf 0.14.3\npatchelf 0.14.3\nbash\nvscode\n"

// TestEditorAttaches builds the devcontainer users make first, of
// base,python, and attaches to it as an editor would (see editorSteps):
// in a chroot as vscode, and with Docker.
func TestEditorAttaches(t *testing.T) {
	buildEnv(t)
	host, err := platform.Host()
	if err != nil {
		t.Skip(err)
	}
	server := editorServer(t, host.System)
	sum, img, tar := build(t, "devcontainer", "base,python")
	docker := testenv.DockerLoad(t, tar)
	for _, a := range []string{"glibc", "stdenv.cc.cc.lib", "gnutar", "gzip", "procps", "getent"} {
		if !strings.Contains(" "+strings.Join(sum.Added, " ")+" ", " "+a+" ") {
			t.Errorf("the summary's added attributes %v lack %s", sum.Added, a)
		}
	}

	t.Run("in a chroot as vscode", func(t *testing.T) {
		root := unpack(t, img)
		data, err := os.ReadFile(server)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "tmp", "server.tar.gz"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := inImage(t, root, config(t, img), 1000, editorSteps(host, "/tmp/server.tar.gz")...); err != nil || out != editorWant {
			t.Errorf("an editor's server install: %q, %v; want %q", out, err, editorWant)
		}
	})

	t.Run("docker run", func(t *testing.T) {
		d := docker(t)
		args := append([]string{"run", "--rm", "--network", "none", "-v", server + ":/tmp/server.tar.gz:ro", "nixlayer/devcontainer:latest"}, editorSteps(host, "/tmp/server.tar.gz")...)
		out, err := d.Command(t.Context(), args...).CombinedOutput()
		if err != nil || string(out) != editorWant {
			t.Errorf("docker %s: %q, %v; want %q", strings.Join(args, " "), out, err, editorWant)
		}
	})

	t.Run("devcontainer up and exec", func(t *testing.T) {
		editorWithCLI(t, docker(t), host, "nixlayer/devcontainer:latest", server)
	})
}

// editorWithCLI starts the devcontainer image with the devcontainer CLI,
// as VS Code's Dev Containers extension does (devcontainer up on a
// workspace whose devcontainer.json names the image), and runs the
// editor's steps in it with devcontainer exec, as the remote user the
// image's devcontainer.metadata names.
func editorWithCLI(t *testing.T, d *testenv.Docker, p platform.Platform, image, server string) {
	t.Helper()
	testenv.Require(t, "devcontainer")
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, ".devcontainer"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The tests' dockerd sets up no network: host's, as the
	// devcontainer CLI's own tests do without a bridge.
	conf := `{"image": "` + image + `", "runArgs": ["--network", "host"]}`
	if err := os.WriteFile(filepath.Join(ws, ".devcontainer", "devcontainer.json"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(server)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "server.tar.gz"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(t.Context(), "devcontainer", args...)
		cmd.Env = append(os.Environ(), d.Env...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			t.Logf("devcontainer %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String(), err
	}
	if _, err := run("up", "--workspace-folder", ws, "--remove-existing-container"); err != nil {
		t.Fatalf("devcontainer up: %v", err)
	}
	t.Cleanup(func() {
		out, _ := d.Command(context.Background(), "ps", "-aq", "--filter", "label=devcontainer.local_folder="+ws).Output()
		for _, id := range strings.Fields(string(out)) {
			d.Command(context.Background(), "rm", "-f", id).Run()
		}
	})
	archive := "/workspaces/" + filepath.Base(ws) + "/server.tar.gz"
	out, err := run(append([]string{"exec", "--workspace-folder", ws}, editorSteps(p, archive)...)...)
	if err != nil || out != editorWant {
		t.Errorf("devcontainer exec of an editor's server install: %q, %v; want %q", out, err, editorWant)
	}
}
