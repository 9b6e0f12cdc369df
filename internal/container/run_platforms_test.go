package container_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/container/containertest"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/testenv"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// TestPlansRunTwoPlatforms runs the plans of a two-platform layout as the
// engine would: for each platform, the helper cross-compiled in the Go
// image and its build in that platform's Nix image (arm64's under
// emulation on amd64), then the index over both layouts.
func TestPlansRunTwoPlatforms(t *testing.T) {
	host, err := platform.Host()
	if err != nil {
		t.Skip(err)
	}
	var universe string
	for _, p := range platform.All() {
		testenv.RequirePlatform(t, p)
		universe = testenv.UniverseFor(t, p.System)
	}
	store, env := testenv.SharedNixEnv(t)
	d := &nix.Driver{Store: store, Env: env}
	mod, gocache := containertest.GoCaches(t)
	blobs := t.TempDir()
	e := &containertest.Engine{
		Images:  map[string]containertest.Image{container.DefaultGoImage: containertest.GoImage(t)},
		Dir:     t.TempDir(),
		Volumes: map[string]string{container.GoModVolume: mod, container.GoBuildVolume: gocache, container.BlobCacheVolume: blobs},
	}
	platforms := platform.All() // the index's order
	layouts := make([]string, len(platforms))
	digests := make([]string, len(platforms))
	var hostHelper string
	for i, p := range platforms {
		// As after a first build, the blob cache volume has the catalog
		// of p recorded, and the Nix image's store holds the image's
		// closure: the plans build nothing under emulation, and the Nix
		// image need not hold the whole catalog.
		recordCatalog(t, d, universe, p, cachedir.Dir(blobs).Catalogs())
		_, req, err := selection.Select("base", nil, nil, p.System)
		if err != nil {
			t.Fatal(err)
		}
		var warm []string
		for _, a := range kind.Runtime.WithRequired(req.Attrs) {
			warm = append(warm, a.Path)
		}
		e.Images[containertest.PlatformImage(container.DefaultNixImage, p.OCI)] = containertest.NixImage(t, d, universe, p, warm...)

		start := time.Now()
		gb := container.GoBuild(container.DefaultGoImage, p, container.HelperProgram)
		res := e.Run(t, gb, containertest.Inputs{ModuleSource: repoRoot(t)})
		if res.ExitCode != 0 {
			t.Fatalf("%s: exit status %d\n%s", gb.What, res.ExitCode, res.Stderr)
		}
		in := containertest.Inputs{Helper: res.Output(gb), Nixpkgs: universe}
		if p.OCI == host.OCI {
			hostHelper = in.Helper
		}
		plan, err := container.Helper(container.DefaultNixImage, container.Build{Kind: kind.Runtime, Selection: container.Selection{Sets: []string{"base"}, Platform: p, Nixpkgs: true}, Layout: true}, "building the runtime layout for "+p.OCI)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Platform != p.OCI {
			t.Errorf("the plan of %s runs on %q", p.OCI, plan.Platform)
		}
		res = e.Run(t, plan, in)
		if res.ExitCode != 0 {
			t.Fatalf("%s: exit status %d\n%s", plan.What, res.ExitCode, res.Stderr)
		}
		layouts[i] = res.Output(plan)
		got := layoutDigests(t, layouts[i])
		if len(got) != 1 {
			t.Fatalf("the %s layout holds %d images", p.OCI, len(got))
		}
		digests[i] = got[0]
		imgs, err := image.ReadLayout(layouts[i])
		if err != nil {
			t.Fatal(err)
		}
		if got, err := image.PlatformOf(imgs[0]); err != nil || got.Architecture != p.Architecture || got.Variant != p.Variant {
			t.Errorf("the %s image is for %+v (%v)", p.OCI, got, err)
		}
		t.Logf("the helper's build and the %s layout took %v", p.OCI, time.Since(start))
	}

	p, err := container.Helper(container.DefaultNixImage, container.Index{Kind: kind.Runtime, Platform: host, Layouts: len(layouts)}, "making the index")
	if err != nil {
		t.Fatal(err)
	}
	res := e.Run(t, p, containertest.Inputs{Helper: hostHelper, Layouts: layouts})
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit status %d\n%s", p.What, res.ExitCode, res.Stderr)
	}
	top, err := layout.ImageIndexFromPath(res.Output(p))
	if err != nil {
		t.Fatal(err)
	}
	m, err := top.IndexManifest()
	if err != nil || len(m.Manifests) != 1 {
		t.Fatalf("the index layout's index.json: %+v, %v", m, err)
	}
	idx, err := top.ImageIndex(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Index(idx); err != nil {
		t.Errorf("validate.Index: %v", err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for i, d := range im.Manifests {
		got = append(got, d.Platform.String()+" "+d.Digest.String())
		want = append(want, strings.TrimSuffix(platforms[i].OCI+"/"+platforms[i].Variant, "/")+" "+digests[i])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the index holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// recordCatalog records the universe's catalog for p in dir, as a
// helper's first build on p does.
func recordCatalog(t *testing.T, d *nix.Driver, universe string, p platform.Platform, dir string) {
	t.Helper()
	ctx := t.Context()
	w, err := flake.Prepare(t.TempDir(), nixflake.Files, catalog.Request(p.System, nil))
	if err != nil {
		t.Fatal(err)
	}
	dd := *d
	dd.FlakeArgs = []string{"--override-input", "nixpkgs", "path:" + universe}
	plan, err := w.Plan(ctx, &dd)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := (catalog.Source{Dir: dir}).Load(ctx, &dd, w, plan); err != nil {
		t.Fatal(err)
	}
}
