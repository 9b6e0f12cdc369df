package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/layers/layerstest"
	"github.com/nixlayer/nixlayer/internal/layerstats"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestBuild builds images from the test universe with the real Nix, then
// runs them: in a chroot as uid 1000, and with the tests' Docker daemon.
func TestBuild(t *testing.T) {
	// Build the command for the tests that run it in other processes,
	// before buildEnv points HOME (and so Go's caches) elsewhere.
	bin := filepath.Join(t.TempDir(), "nixlayer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building nixlayer: %v\n%s", err, out)
	}
	cache := buildEnv(t)
	devSum, dev, devTar := build(t, "devcontainer", "base,devTools,nixTools,python")
	runSum, rt, runTar := build(t, "runtime", "base,python")
	docker := testenv.DockerLoad(t, devTar, runTar)

	t.Run("devcontainer runs as vscode", func(t *testing.T) {
		cfg := config(t, dev)
		if cfg.Config.User != "vscode" || cfg.OS != "linux" || cfg.Architecture != "amd64" {
			t.Errorf("config user %q, platform %s/%s", cfg.Config.User, cfg.OS, cfg.Architecture)
		}
		root := unpack(t, dev)
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
			{[]string{"id", "-u"}, "1000\n"},
			{[]string{"sudo", "-n", "id", "-u"}, "0\n"},
			{[]string{"sudo", "-n", "true"}, ""},
			{[]string{"bash", "-lc", "direnv version"}, "2."},
			{[]string{"python3", "-c", "print(1)"}, "1\n"},
			{[]string{"nix", "--version"}, "nix (Nix) 2.8.0\n"},
			{[]string{"nix-store", "--verify-path", py}, ""},
			{[]string{"nix-store", "--query", "--hash", py}, "sha256:"},
			{[]string{"/usr/bin/env", "sh", "-c", "test -k /tmp && test -w /tmp"}, ""},
		} {
			out, err := inImage(t, root, cfg, 1000, c.argv...)
			if err != nil || !strings.HasPrefix(out, c.want) {
				t.Errorf("%s: output %q, error %v; want %q", strings.Join(c.argv, " "), out, err, c.want)
			}
		}
		// The devcontainer CLI's UID update rewrites /etc/passwd and
		// /etc/group with sed and chowns the home directory, as root; its
		// onCreateCommand (from the metadata label) then gives /nix to the
		// new uid, and Nix works without sudo.
		updateUID(t, root, cfg, 1234)
		if out, err := inImage(t, root, cfg, 1234, "sudo", "-n", "id", "-un"); err != nil || out != "root\n" {
			t.Errorf("sudo after the UID update: %q, %v", out, err)
		}
		checkNixWorks(t, root, cfg, 1234, py)
		var meta []map[string]any
		if err := json.Unmarshal([]byte(cfg.Config.Labels["devcontainer.metadata"]), &meta); err != nil || len(meta) != 1 {
			t.Fatalf("devcontainer.metadata %q: %v", cfg.Config.Labels["devcontainer.metadata"], err)
		}
		if meta[0]["remoteUser"] != "vscode" || !strings.Contains(cfg.Config.Labels["devcontainer.metadata"], "ms-python.python") {
			t.Errorf("devcontainer.metadata %v lacks remoteUser vscode or the python extension", meta)
		}
		if cmd, _ := meta[0]["onCreateCommand"].([]any); len(cmd) != 1 || cmd[0] != rootfs.OwnNix {
			t.Errorf("devcontainer.metadata runs %v on create, want [%s]", meta[0]["onCreateCommand"], rootfs.OwnNix)
		}
		checkOSRelease(t, root, "devcontainer")
	})

	t.Run("vscodeCompat runs a program built outside Nix", func(t *testing.T) {
		testenv.Require(t, "g++")
		_, img, _ := build(t, "devcontainer", "base,vscodeCompat,devTools,nixTools")
		root := unpack(t, img)
		src := filepath.Join(t.TempDir(), "hello.cc")
		if err := os.WriteFile(src, []byte("#include <iostream>\nint main() { std::cout << \"fhs \" << __cplusplus << std::endl; }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// A dynamic C++ program for an FHS system, as VS Code's server is:
		// it needs /lib64/ld-linux-x86-64.so.2 and libstdc++.so.6.
		if out, err := exec.Command("g++", "-o", filepath.Join(root, "tmp", "hello"), src).CombinedOutput(); err != nil {
			t.Fatalf("g++: %v\n%s", err, out)
		}
		if out, err := inImage(t, root, config(t, img), 1000, "/tmp/hello"); err != nil || !strings.HasPrefix(out, "fhs ") {
			t.Errorf("an FHS program: %q, %v", out, err)
		}
	})

	t.Run("runtime is not root and has no setuid file", func(t *testing.T) {
		cfg := config(t, rt)
		if cfg.Config.User != "1000:1000" || cfg.Config.WorkingDir != "/app" {
			t.Errorf("user %q, workdir %q", cfg.Config.User, cfg.Config.WorkingDir)
		}
		root := unpack(t, rt)
		if out, err := inImage(t, root, cfg, 1000, "id", "-u"); err != nil || out != "1000\n" {
			t.Errorf("id -u: %q, %v", out, err)
		}
		checkOSRelease(t, root, "runtime")
		if out, err := inImage(t, root, cfg, 1000, "python3", "-c", "import ssl; print(ssl.OPENSSL_VERSION[:7])"); err != nil || out != "OpenSSL\n" {
			t.Errorf("python3 with ssl: %q, %v", out, err)
		}
		for _, tool := range []string{"sudo", "nix", "nix-store"} {
			if _, err := os.Lstat(filepath.Join(root, "usr/bin", tool)); err == nil {
				t.Errorf("the runtime image has %s", tool)
			}
		}
		for p := range storeLayers(t, rt) {
			if strings.Contains(p, "-sudo-") || strings.Contains(p, "-nix-2") {
				t.Errorf("the runtime image holds %s", p)
			}
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.Mode()&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
				t.Errorf("%s is setuid or setgid", strings.TrimPrefix(p, root))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("shared store paths share layers", func(t *testing.T) {
		_, devBP, _ := build(t, "devcontainer", "base,python")
		_, devBNP, _ := build(t, "devcontainer", "base,node,python")
		images := map[string]map[string]string{
			"devcontainer{base,python}":                   storeLayers(t, devBP),
			"runtime{base,python}":                        storeLayers(t, rt),
			"devcontainer{base,node,python}":              storeLayers(t, devBNP),
			"devcontainer{base,devTools,nixTools,python}": storeLayers(t, dev),
		}
		names := slices.Sorted(maps.Keys(images))
		shared := 0
		for i, a := range names {
			for _, b := range names[i+1:] {
				for p, da := range images[a] {
					if db, ok := images[b][p]; ok {
						shared++
						if da != db {
							t.Errorf("%s is in layer %s in %s but %s in %s", p, da, a, db, b)
						}
					}
				}
			}
		}
		if shared == 0 {
			t.Fatal("the images share no store path")
		}
		// Runtime ⊂ devcontainer: every store layer of the runtime image
		// is a layer of the devcontainer of the same sets.
		devLayers := map[string]bool{}
		for _, d := range images["devcontainer{base,python}"] {
			devLayers[d] = true
		}
		for p, d := range images["runtime{base,python}"] {
			if !devLayers[d] {
				t.Errorf("runtime layer %s (with %s) is not in the devcontainer", d, p)
			}
		}
	})

	t.Run("a rebuild compresses only new store paths", func(t *testing.T) {
		t.Setenv("NIXLAYER_CACHE", t.TempDir())
		cold, before, _ := build(t, "runtime", "base,python")
		warm, after, _ := build(t, "runtime", "base,python", "--packages", "jq")
		old, now := storeLayers(t, before), storeLayers(t, after)
		fresh := 0
		for p := range now {
			if _, ok := old[p]; !ok {
				fresh++
			}
		}
		if cold.PathsCompressed != len(old) || cold.PathsReused != 0 {
			t.Errorf("cold build compressed %d and reused %d of %d paths", cold.PathsCompressed, cold.PathsReused, len(old))
		}
		if fresh == 0 || warm.PathsCompressed != fresh || warm.PathsReused != len(now)-fresh {
			t.Errorf("adding jq: compressed %d and reused %d store paths; want %d new and %d reused", warm.PathsCompressed, warm.PathsReused, fresh, len(now)-fresh)
		}
	})

	t.Run("two processes give the same digest", func(t *testing.T) {
		for i := range 2 {
			dir := t.TempDir()
			cmd := exec.Command(bin, "build", "runtime", "--sets", "base,python", "-o", filepath.Join(dir, "image.tar"), "--json", "-q", "--cache", filepath.Join(dir, "cache"))
			cmd.Env = append(os.Environ(), "TMPDIR="+dir)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
			var s pipeline.Summary
			if err := json.Unmarshal(out, &s); err != nil {
				t.Fatal(err)
			}
			if s.Digest != runSum.Digest {
				t.Errorf("process %d built %s, the first build %s", i, s.Digest, runSum.Digest)
			}
		}
	})

	t.Run("docker loads and runs both", func(t *testing.T) {
		d := docker(t)
		ctx := t.Context()
		for _, c := range []struct {
			image string
			argv  []string
			want  string
		}{
			{"nixlayer/devcontainer:latest", []string{"id", "-un"}, "vscode\n"},
			{"nixlayer/devcontainer:latest", []string{"sudo", "-n", "id", "-u"}, "0\n"},
			{"nixlayer/devcontainer:latest", []string{"bash", "-lc", "direnv version"}, "2."},
			{"nixlayer/devcontainer:latest", []string{"nix", "--version"}, "nix (Nix) 2.8.0\n"},
			{"nixlayer/devcontainer:latest", []string{"python3", "-c", "print(1)"}, "1\n"},
			{"nixlayer/runtime:latest", []string{"id", "-u"}, "1000\n"},
			{"nixlayer/runtime:latest", []string{"pwd"}, "/app\n"},
		} {
			args := append([]string{"run", "--rm", "--network", "none", c.image}, c.argv...)
			out, err := d.Command(ctx, args...).Output()
			if err != nil || !strings.HasPrefix(string(out), c.want) {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Errorf("docker %s: %q, %v %s; want %q", strings.Join(args, " "), out, err, stderr, c.want)
			}
		}
		// The devcontainer CLI's UID update, as its -uid image does it
		// (as root), then the onCreateCommand and Nix as the new uid.
		uid := []string{"run", "--name", "uid", "--user", "root", "--network", "none", "nixlayer/devcontainer:latest", "sh", "-c",
			"sed -i -e 's/^vscode:x:1000:1000:/vscode:x:1234:1234:/' /etc/passwd && sed -i -e 's/^vscode:x:1000:/vscode:x:1234:/' /etc/group && chown -R 1234:1234 /home/vscode"}
		if out, err := d.Command(ctx, uid...).CombinedOutput(); err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(uid, " "), err, out)
		}
		if out, err := d.Command(ctx, "commit", "--change", "USER vscode", "uid", "nixlayer/devcontainer-uid").CombinedOutput(); err != nil {
			t.Fatalf("docker commit: %v\n%s", err, out)
		}
		// One container, as a devcontainer is: the onCreateCommand gives
		// vscode /nix once, then Nix works as the new uid. (Each chown of
		// /nix copies the whole store up through overlayfs.)
		args := []string{"run", "--rm", "--network", "none", "nixlayer/devcontainer-uid", "sh", "-c", rootfs.OwnNix + ` && nix eval --expr "1 + 1" && id -u`}
		if out, err := d.Command(ctx, args...).Output(); err != nil || string(out) != "2\n1234\n" {
			t.Errorf("docker %s: %q, %v; want 2 from nix, then uid 1234", strings.Join(args, " "), out, err)
		}
		out, err := d.Command(ctx, "image", "inspect", "--format", "{{.Id}}", "nixlayer/runtime:latest").Output()
		if err != nil {
			t.Fatal(err)
		}
		cfg, _ := rt.ConfigName()
		if strings.TrimSpace(string(out)) != cfg.String() {
			t.Errorf("docker has image %s, want config %s", out, cfg)
		}
	})

	t.Run("a bad output fails at once and leaves nothing behind", func(t *testing.T) {
		dir := t.TempDir()
		for _, out := range [][]string{
			{"-o", filepath.Join(dir, "missing", "image.tar")},
			{"-o", dir},
			{"--oci-layout", filepath.Join(dir, "file")},
		} {
			if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := cli(t, append([]string{"build", "runtime", "--sets", "base"}, out...)...)
			if code != exitBadInput || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "planning") {
				t.Errorf("%v: exit status %d, %q; want bad input before any work", out, code, stderr)
			}
		}
		assertOnly(t, dir, "file")
	})

	t.Run("an interrupted build leaves nothing behind", func(t *testing.T) {
		t.Setenv("NIXLAYER_CACHE", t.TempDir())
		for _, at := range []string{"nixlayer: compressing", "nixlayer: writing"} {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(t.Context())
			stderr := &cancelOn{line: at, cancel: cancel}
			var stdout strings.Builder
			code := run(ctx, []string{"build", "runtime", "--sets", "base,python", "-o", filepath.Join(dir, "image.tar"), "--oci-layout", filepath.Join(dir, "layout")}, &stdout, stderr)
			cancel()
			if code == exitOK || !stderr.seen {
				t.Errorf("cancelled at %q (seen %v): exit status %d\n%s", at, stderr.seen, code, stderr.buf.String())
			}
			assertOnly(t, dir)
		}
		// The cache is sound after the interruptions.
		s, _, _ := build(t, "runtime", "base,python")
		if s.Digest != runSum.Digest {
			t.Errorf("after interruptions: digest %s, want %s", s.Digest, runSum.Digest)
		}
	})

	t.Run("the layer budget holds for every combination of sets, at 100, 50 and 25 layers", func(t *testing.T) {
		for _, s := range []pipeline.Summary{devSum, runSum} {
			if s.Layers > 100 || s.Bloat != 0 || s.Merges != 0 {
				t.Errorf("%s: %d layers, bloat %d, %d merges", s.Kind, s.Layers, s.Bloat, s.Merges)
			}
		}
		files, err := filepath.Glob(filepath.Join(cachedir.Dir(cache).Catalogs(), "catalog-*.json"))
		if err != nil || len(files) != 1 {
			t.Fatalf("recorded catalogs: %v, %v; want one", files, err)
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var c layers.Catalog
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		stats := layerstest.CheckEveryCombination(t, c, layerstest.BuiltinSets(), layers.Budget{Reserved: 1}, layerstest.ExtrasFor(c)...)
		t.Logf("the universe's catalog: %+v", stats)

		// nixlayer sets --stats reads the recorded catalog and says the same.
		code, stdout, stderr := cli(t, "sets", "--stats", "--json", "-q")
		if code != exitOK {
			t.Fatalf("sets --stats: exit status %d: %s", code, stderr)
		}
		var ls layerstats.Stats
		if err := json.Unmarshal([]byte(stdout), &ls); err != nil {
			t.Fatal(err)
		}
		if ls.Attributes != len(c.Roots) || ls.Paths != c.Graph.Len() || ls.Groups != stats.Groups || ls.Merges != 0 ||
			ls.MaxBlocks != 98 || ls.Headroom != 98-stats.Groups || len(ls.Glued) != 0 || ls.SetSignatures >= ls.Signatures {
			t.Errorf("sets --stats: %+v; the catalog has %d attributes, %d paths and %d groups", ls, len(c.Roots), c.Graph.Len(), stats.Groups)
		}

		// Smaller budgets, as a project with more sets or a base image
		// leaves: the plans hold, no image made of the sets has bloat at
		// the default budget, and none more than 2 % at 50 layers.
		images := layerstest.Population(layerstest.BuiltinSets(), 530)
		for _, n := range []int{100, 50, 25} {
			b := layers.Budget{MaxLayers: n, Reserved: 1}
			if n < 100 {
				layerstest.CheckCombinations(t, c, layerstest.BuiltinSets(), b, 2048, layerstest.ExtrasFor(c)...)
			}
			p, err := layers.Partition(c, b, layerstest.BuildSets()...)
			if err != nil {
				t.Fatal(err)
			}
			q, err := layerstest.Measure(c, p, layerstest.BuiltinSets(), images, layerstest.Typical)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d layers: %d merges; bloat %.3f %% of 530 images, the most %.2f %% (%s), %d over 2 %%; pulled/least %.4f",
				n, len(p.Merges), 100*q.BloatRatio(), 100*q.Worst, q.WorstImage, q.Over2Percent, q.PullRatio())
			switch {
			case n == 100:
				if err := layerstest.CheckSetBloat(c, p, layerstest.BuildSets()); err != nil || q.Bloat != 0 {
					t.Errorf("%d bytes of bloat at the default budget: %v", q.Bloat, err)
				}
			case n == 50 && q.Over2Percent > 0:
				t.Errorf("%d images with more than 2 %% of bloat at 50 layers, the most %s", q.Over2Percent, q.WorstImage)
			}
		}
	})
}
