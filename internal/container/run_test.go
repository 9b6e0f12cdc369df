package container_test

import (
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
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
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
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

	build := container.Invocation{Command: container.CommandBuild, Kind: kind.Runtime, Sets: []string{"base"}, Platform: host, Nixpkgs: true}
	archive, err := container.Helper(container.DefaultNixImage, build, "building the runtime image for "+host.OCI)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the plan makes the output directory", func(t *testing.T) {
		p := archive
		p.Dirs = nil
		res := e.Run(t, p, in)
		err := container.NewHelperError(p.What, res.ExitCode, res.Stderr)
		if res.ExitCode != 1 || errors.Is(err, sets.ErrBadInput) || !strings.HasPrefix(err.Error(), p.What+": ") || !strings.Contains(err.Error(), container.OutDir) {
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
		p, err := container.Helper(container.DefaultNixImage, container.Invocation{Command: container.CommandIndex, Kind: kind.Runtime, Platform: host, Layouts: 1}, "making the index")
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
		p, err := container.Helper(container.DefaultNixImage, container.Invocation{Command: container.CommandPublish, Platform: host, Layouts: 1,
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

	t.Run("closure and inventory", func(t *testing.T) {
		for _, cmd := range []string{container.CommandClosure, container.CommandInventory} {
			p, err := container.Helper(container.DefaultNixImage, container.Invocation{Command: cmd, Sets: []string{"base"}, Platform: host, Nixpkgs: true}, cmd)
			if err != nil {
				t.Fatal(err)
			}
			res := e.Run(t, p, in)
			if res.ExitCode != 0 || !strings.Contains(res.Stdout, "-bash-") {
				t.Errorf("%s: exit status %d, stdout %q\n%s", cmd, res.ExitCode, res.Stdout, res.Stderr)
			}
		}
	})

	t.Run("the user's bad input is the user's", func(t *testing.T) {
		p, err := container.Helper(container.DefaultNixImage, container.Invocation{Command: container.CommandClosure, Sets: []string{"base"}, Packages: []string{"pyhton312"}, Platform: host, Nixpkgs: true}, "building the closure")
		if err != nil {
			t.Fatal(err)
		}
		res := e.Run(t, p, in)
		err = container.NewHelperError(p.What, res.ExitCode, res.Stderr)
		if res.ExitCode != container.ExitBadInput || !errors.Is(err, sets.ErrBadInput) || err.Error() != `nixpkgs has no attribute "pyhton312" (from --packages)` {
			t.Errorf("a missing attribute: exit status %d, error %q", res.ExitCode, err)
		}
	})
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
