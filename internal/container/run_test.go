package container_test

import (
	"archive/tar"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/container/containertest"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestMain(m *testing.M) {
	testenv.ServeRootfs()
	os.Exit(m.Run())
}

// repoRoot is the module's source, as the engine gives it to the module.
func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TestPlansRun runs the module's plans as the engine would: the helper's
// build in an image of Go, then the helper in an image shaped like the
// official Nix image, with the test universe as nixpkgs, in a root that
// holds only what the image and the plan provide.
func TestPlansRun(t *testing.T) {
	universe := testenv.Universe(t)
	store, env := testenv.SharedNixEnv(t)
	d := &nix.Driver{Store: store, Env: env}
	host, err := platform.Host()
	if err != nil {
		t.Skip(err)
	}
	mod, gocache := containertest.GoCaches(t)
	e := &containertest.Engine{
		Images: map[string]containertest.Image{
			container.DefaultGoImage:  containertest.GoImage(t),
			container.DefaultNixImage: containertest.NixImage(t, d, universe, host),
		},
		Dir:     t.TempDir(),
		Volumes: map[string]string{container.GoModVolume: mod, container.GoBuildVolume: gocache},
	}

	gb := container.GoBuild(container.DefaultGoImage, host, container.HelperProgram)
	res := e.Run(t, gb, containertest.Inputs{ModuleSource: repoRoot(t)})
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit status %d\n%s", gb.What, res.ExitCode, res.Stderr)
	}
	in := containertest.Inputs{Helper: res.Output(gb), Nixpkgs: universe}

	build := container.Build{Kind: kind.Runtime, Selection: container.Selection{Sets: []string{"base"}, Platform: host, Nixpkgs: true}}
	archive, err := container.Helper(container.DefaultNixImage, build, "building the runtime image for "+host.OCI)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the plan makes the output directory", func(t *testing.T) {
		p := archive
		p.Dirs = nil
		res := e.Run(t, p, in)
		err := container.NewHelperError(p.What, res.ExitCode, res.Stderr)
		if res.ExitCode != 1 || errors.Is(err, usererr.ErrBadInput) || !strings.HasPrefix(err.Error(), p.What+": ") || !strings.Contains(err.Error(), container.OutDir) {
			t.Errorf("without the output directory: exit status %d, error %q; want the module's failure, with what it was doing", res.ExitCode, err)
		}
	})

	res = e.Run(t, archive, in)
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit status %d\n%s", archive.What, res.ExitCode, res.Stderr)
	}
	digest := archiveDigest(t, res.Output(archive))

	build.Layout = true
	layoutPlan, err := container.Helper(container.DefaultNixImage, build, "building the runtime layout")
	if err != nil {
		t.Fatal(err)
	}
	res = e.Run(t, layoutPlan, in)
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit status %d\n%s", layoutPlan.What, res.ExitCode, res.Stderr)
	}
	layout := res.Output(layoutPlan)
	if got := layoutDigests(t, layout); len(got) != 1 || got[0] != digest {
		t.Errorf("the layout holds %v, the archive %s", got, digest)
	}

	t.Run("index", func(t *testing.T) {
		p, err := container.Helper(container.DefaultNixImage, container.Index{Kind: kind.Runtime, Platform: host, Layouts: 1}, "making the index")
		if err != nil {
			t.Fatal(err)
		}
		in := in
		in.Layouts = []string{layout}
		res := e.Run(t, p, in)
		if res.ExitCode != 0 {
			t.Fatalf("exit status %d\n%s", res.ExitCode, res.Stderr)
		}
		if got := layoutDigests(t, res.Output(p)); len(got) != 1 || got[0] != digest {
			t.Errorf("the index's layout holds %v, want %s", got, digest)
		}
	})

	t.Run("publish", func(t *testing.T) {
		reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
		defer reg.Close()
		address := strings.TrimPrefix(reg.URL, "http://") + "/acme/runtime:1"
		p, err := container.Helper(container.DefaultNixImage, container.Publish{Platform: host, Layouts: 1,
			Address: address, Tags: []string{"latest"}, Username: "octocat"}, "publishing")
		if err != nil {
			t.Fatal(err)
		}
		in := in
		in.Layouts, in.Password = []string{layout}, "s3cret"
		res := e.Run(t, p, in)
		if res.ExitCode != 0 {
			t.Fatalf("exit status %d\n%s", res.ExitCode, res.Stderr)
		}
		want := address + "@" + digest + "\n" + strings.TrimSuffix(address, ":1") + ":latest@" + digest + "\n"
		if res.Stdout != want {
			t.Errorf("publish printed %q, want %q", res.Stdout, want)
		}
		ref, err := name.ParseReference(strings.TrimSuffix(address, ":1") + ":latest")
		if err != nil {
			t.Fatal(err)
		}
		desc, err := remote.Get(ref)
		if err != nil || desc.Digest.String() != digest {
			t.Errorf("the registry has %v (%v), want %s", desc, err, digest)
		}
	})

	t.Run("a build on a base image", func(t *testing.T) {
		baseDir := testenv.DebianBase(t)
		baseTar := filepath.Join(t.TempDir(), "base.tar")
		tarFS(t, os.DirFS(baseDir), baseTar)
		inv := container.Build{Kind: kind.Runtime, Selection: container.Selection{Sets: []string{"base"}, Platform: host, Nixpkgs: true}, Base: true, BaseName: "debian:12"}
		p, err := container.Helper(container.DefaultNixImage, inv, "building the runtime image on a base")
		if err != nil {
			t.Fatal(err)
		}
		in := in
		in.BaseImage = baseTar
		res := e.Run(t, p, in)
		if res.ExitCode != 0 {
			t.Fatalf("exit status %d\n%s", res.ExitCode, res.Stderr)
		}
		imgs, err := image.ReadArchive(res.Output(p))
		if err != nil || len(imgs) != 1 {
			t.Fatalf("the archive: %v, %v", imgs, err)
		}
		bases, err := image.ReadLayout(baseDir)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := bases[0].Layers()
		got, _ := imgs[0].Layers()
		for i, l := range want {
			wd, _ := l.Digest()
			if gd, _ := got[i].Digest(); gd != wd {
				t.Errorf("layer %d is %s, the base's %s", i, gd, wd)
			}
		}
		cf, err := imgs[0].ConfigFile()
		if err != nil || cf.Config.Labels["org.opencontainers.image.base.name"] != "debian:12" {
			t.Errorf("labels %v, %v; want the base's name", cf.Config.Labels, err)
		}
	})

	t.Run("closure and inventory", func(t *testing.T) {
		sel := container.Selection{Sets: []string{"base"}, Platform: host, Nixpkgs: true}
		for cmd, inv := range map[string]container.Invocation{"closure": container.Closure{Selection: sel}, "inventory": container.Inventory{Selection: sel}} {
			p, err := container.Helper(container.DefaultNixImage, inv, cmd)
			if err != nil {
				t.Fatal(err)
			}
			res := e.Run(t, p, in)
			if res.ExitCode != 0 || !strings.Contains(res.Stdout, "-bash-") {
				t.Errorf("%s: exit status %d, stdout %q\n%s", cmd, res.ExitCode, res.Stdout, res.Stderr)
			}
		}
	})

	t.Run("update-nixpkgs", func(t *testing.T) {
		// The flake follows a branch of the universe's git repository,
		// which the container sees where the host has it.
		u := updatetest.NewUniverse(t)
		flake := updatetest.Flake(t, d, u)
		img := e.Images[container.DefaultNixImage]
		img.Binds = append(slices.Clone(img.Binds), testenv.Bind{Source: u.Dir, Target: u.Dir, ReadOnly: true})
		ue := *e
		ue.Images = map[string]containertest.Image{container.DefaultNixImage: img}
		p, err := container.Helper(container.DefaultNixImage, container.Update{Platform: host, GitHubToken: true}, "updating nixpkgs")
		if err != nil {
			t.Fatal(err)
		}
		in := in
		in.Flake, in.GitHubToken = flake, "t0ken"
		res := ue.Run(t, p, in)
		if res.ExitCode != 0 {
			t.Fatalf("exit status %d\n%s", res.ExitCode, res.Stderr)
		}
		out := res.Output(p)
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if want := []string{container.ReportFile, container.JSONReportFile, "flake.lock", "flake.nix"}; !slices.Equal(names, want) {
			t.Errorf("the changes hold %v, want %v", names, want)
		}
		data, err := os.ReadFile(filepath.Join(out, "flake.lock"))
		if err != nil {
			t.Fatal(err)
		}
		l, err := lock.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if pin, err := l.Input("nixpkgs"); err != nil || pin.Rev != u.Rev2 {
			t.Errorf("the new lock pins %+v (%v), want %s", pin, err, u.Rev2)
		}
		report, err := os.ReadFile(filepath.Join(out, container.ReportFile))
		if err != nil || !strings.Contains(string(report), "| `eslint` | eslint | 9.14.0 | 10.0.0 | major |") {
			t.Errorf("CHANGES.md (%v):\n%s", err, report)
		}
	})

	t.Run("the user's bad input is the user's", func(t *testing.T) {
		p, err := container.Helper(container.DefaultNixImage, container.Closure{Selection: container.Selection{Sets: []string{"base"}, Packages: []string{"pyhton312"}, Platform: host, Nixpkgs: true}}, "building the closure")
		if err != nil {
			t.Fatal(err)
		}
		res := e.Run(t, p, in)
		err = container.NewHelperError(p.What, res.ExitCode, res.Stderr)
		if res.ExitCode != container.ExitBadInput || !errors.Is(err, usererr.ErrBadInput) || err.Error() != `nixpkgs has no attribute "pyhton312" (from --packages)` {
			t.Errorf("a missing attribute: exit status %d, error %q", res.ExitCode, err)
		}
	})
}

// tarFS writes the files of fsys into a tar file, as an OCI archive holds
// a layout.
func tarFS(t *testing.T, fsys fs.FS, file string) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := tw.AddFS(fsys); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

// archiveDigest checks the image of an archive and returns its digest.
func archiveDigest(t *testing.T, file string) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := untar(f, dir); err != nil {
		t.Fatal(err)
	}
	got := layoutDigests(t, dir)
	if len(got) != 1 {
		t.Fatalf("the archive holds %d images", len(got))
	}
	return got[0]
}

// layoutDigests validates the images of a layout and returns their
// digests.
func layoutDigests(t *testing.T, dir string) []string {
	t.Helper()
	imgs, err := image.ReadLayout(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, img := range imgs {
		if err := validate.Image(img); err != nil {
			t.Errorf("the image of %s: %v", dir, err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.String())
	}
	return out
}
