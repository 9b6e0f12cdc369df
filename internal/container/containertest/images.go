package containertest

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// NixImage returns an image shaped like the official Nix image (see
// container.DefaultNixImage) for platform p, made from the test universe's
// nix, bash, coreutils, cacert and git (which Nix runs to fetch git inputs)
// for p's system with d, a driver of a test store (which builds another
// platform's packages under emulation, see testenv.RequirePlatform): /nix
// holds their closure with its database, a default profile links their
// programs, and /etc is the official image's: root, the nixbld group and
// its users, and a nix.conf with build-users-group = nixbld and
// sandbox = false that does not enable flakes, with download-attempts = 1
// (see below). It has no /nixlayer and no other directory of nixlayer's.
// The store holds the closures of the warm attributes too, as
// a store volume that earlier builds filled would: plans then build none
// of them, which saves building the universe again under emulation.
func NixImage(t testing.TB, d *nix.Driver, universe string, p platform.Platform, warm ...string) Image {
	t.Helper()
	ctx := context.Background()
	build := func(attrs []string) []string {
		var installables []string
		for _, a := range attrs {
			installables = append(installables, "path:"+universe+"#legacyPackages."+p.System+"."+a)
		}
		if len(installables) == 0 {
			return nil
		}
		results, err := d.Build(ctx, installables)
		if err != nil {
			t.Fatalf("building the Nix image's packages: %v", err)
		}
		var outs []string
		for _, r := range results {
			outs = append(outs, r.Paths()...)
		}
		return outs
	}
	profile := build([]string{"nix", "bash", "coreutils", "cacert", "git"})
	outs := append(slices.Clone(profile), build(warm)...)
	root := filepath.Join(t.TempDir(), "nix-image")
	if _, err := d.Run(ctx, append([]string{"copy", "--no-check-sigs", "--to", root}, outs...)...); err != nil {
		t.Fatalf("copying the Nix image's store: %v", err)
	}
	profileDir := filepath.Join(root, "nix/var/nix/profiles/default")
	for _, out := range profile {
		for _, sub := range []string{"bin", "etc/ssl/certs"} {
			entries, _ := os.ReadDir(d.Root().Path(out + "/" + sub))
			for _, e := range entries {
				link := filepath.Join(profileDir, sub, e.Name())
				mkdir(t, filepath.Dir(link))
				if err := os.Symlink(out+"/"+sub+"/"+e.Name(), link); err != nil && !os.IsExist(err) {
					t.Fatal(err)
				}
			}
		}
	}
	// The tests' containers are offline, which the real image is not:
	// download-attempts = 1 makes each query of cache.nixos.org fail at
	// once rather than after Nix's retries (4.5 s of backing off each time).
	files := map[string]string{
		"etc/passwd":       "root:x:0:0:System administrator:/root:/bin/bash\nnixbld1:x:30001:30000:Nix build user 1:/var/empty:/bin/false\nnobody:x:65534:65534:Unprivileged account:/var/empty:/bin/false\n",
		"etc/group":        "root:x:0:\nnixbld:x:30000:nixbld1\nnogroup:x:65534:\n",
		"etc/nix/nix.conf": "build-users-group = nixbld\nsandbox = false\ndownload-attempts = 1\n",
	}
	for name, data := range files {
		mkdir(t, filepath.Join(root, filepath.Dir(name)))
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"root", "tmp", "var/tmp", "usr/bin", "usr/libexec/nix", "bin", "etc/ssl/certs"} {
		mkdir(t, filepath.Join(root, dir))
	}
	for _, dir := range []string{"tmp", "var/tmp"} {
		if err := os.Chmod(filepath.Join(root, dir), 0o1777); err != nil {
			t.Fatal(err)
		}
	}
	nixOut := ""
	for _, out := range profile {
		if _, err := fs.Stat(d.Root().FS(), strings.TrimPrefix(out, "/")+"/libexec/nix/build-remote"); err == nil {
			nixOut = out
		}
	}
	if nixOut == "" {
		t.Fatal("the universe's nix has no libexec/nix/build-remote")
	}
	for link, target := range map[string]string{
		// Debian's nix, which the universe's is, runs its build hook from
		// the path it was built for, as the official image's nix runs its
		// own.
		"usr/libexec/nix/build-remote": nixOut + "/libexec/nix/build-remote",
		"bin/sh":                       "/nix/var/nix/profiles/default/bin/bash",
		"usr/bin/env":                  "/nix/var/nix/profiles/default/bin/env",
		"root/.nix-profile":            "/nix/var/nix/profiles/default",
		"etc/ssl/certs/ca-bundle.crt":  "/nix/var/nix/profiles/default/etc/ssl/certs/ca-bundle.crt",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return Image{Root: root, Env: []string{
		"PATH=/root/.nix-profile/bin:/nix/var/nix/profiles/default/bin:/nix/var/nix/profiles/default/sbin",
		"USER=root",
		"NIX_SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt",
	}}
}

// GoImage returns an image shaped like the official Go image, made of the
// machine's own Go and Debian: the host's /usr (with /usr/local/go) and
// /etc, read-only, in an otherwise empty root.
func GoImage(t testing.TB) Image {
	t.Helper()
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		testenv.Require(t, "go")
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "go-image")
	for _, dir := range []string{"usr", "etc", "tmp", "root"} {
		mkdir(t, filepath.Join(root, dir))
	}
	for _, l := range []string{"bin", "lib", "lib64", "sbin"} {
		if target, err := os.Readlink("/" + l); err == nil {
			if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
				t.Fatal(err)
			}
		}
	}
	gobin := filepath.Join(strings.TrimSpace(string(goroot)), "bin")
	return Image{
		Root:  root,
		Env:   []string{"PATH=" + gobin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GOPATH=/go"},
		Binds: []testenv.Bind{{Source: "/usr", Target: "/usr", ReadOnly: true}, {Source: "/etc", Target: "/etc", ReadOnly: true}},
	}
}

// GoCaches returns the machine's Go module and build caches, to use as
// the plans' Go cache volumes, so that the helper's build is warm.
func GoCaches(t testing.TB) (mod, build string) {
	t.Helper()
	out, err := exec.Command("go", "env", "-json", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ GOMODCACHE, GOCACHE string }
	if err := json.Unmarshal(out, &env); err != nil {
		t.Fatal(err)
	}
	return env.GOMODCACHE, env.GOCACHE
}

func mkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
