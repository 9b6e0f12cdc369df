package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/nix/nixtest"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/sets"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// fake is a build of a runtime image on a fake Nix (internal/nix/nixtest)
// whose nixpkgs has every catalog attribute, each a package of one
// program that refers to the C library, as the test universe's programs
// do (testdata/universe), with the cache of the builds.
type fake struct {
	nix   *nixtest.Nix
	d     *nix.Driver
	cache cachedir.Dir
	im    Image
	// libc is the store path that every package refers to.
	libc string
}

func newFake(t *testing.T) *fake {
	t.Helper()
	system := platform.HostSystem()
	n := nixtest.New(t, system)
	var attrs []string
	for _, a := range catalog.Request(system, nil).Attrs {
		attrs = append(attrs, a.Path)
	}
	libc := n.Packages(attrs...)
	sel, req, err := selection.Select(kind.Runtime.DefaultSets(), nil, nil, system)
	if err != nil {
		t.Fatal(err)
	}
	cache := cachedir.Dir(t.TempDir())
	im := Image{Kind: kind.Runtime, Selection: sel, Request: req, CacheDir: cache, Sets: catalog.Sets(sets.Builtin(), nil)}
	return &fake{nix: n, d: n.Driver(), cache: cache, im: im, libc: libc}
}

// build builds f.im from nixlayer's flake, and returns what Nix was asked.
func (f *fake) build(t *testing.T) (*Built, []string) {
	t.Helper()
	b, err := f.try(t)
	if err != nil {
		t.Fatal(err)
	}
	return b, f.nix.Calls()
}

// try builds f.im from nixlayer's flake.
func (f *fake) try(t *testing.T) (*Built, error) {
	t.Helper()
	return Build(t.Context(), f.d, nixflake.Files, f.im, t.TempDir())
}

// records lists the evaluation records in the cache, whatever their key.
func (f *fake) records(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(filepath.Dir(f.cache.Record("key")), "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(files, func(p string) bool { return p == f.cache.FileSums() })
}

// record is the one record in the cache, read as Build reads it.
func (f *fake) record(t *testing.T) *record {
	t.Helper()
	files := f.records(t)
	if len(files) != 1 {
		t.Fatalf("records %v, want one", files)
	}
	key := strings.TrimSuffix(filepath.Base(files[0]), ".json")
	r, ok := readRecord(f.cache, key)
	if !ok {
		data, _ := os.ReadFile(files[0])
		t.Fatalf("the record %s is not sound: %.200s", files[0], data)
	}
	return r
}

// misrecord rewrites the one record in the cache into a sound one that
// says another version of a path than Nix does, as one of an older
// nixlayer might, and returns the record as it was.
func (f *fake) misrecord(t *testing.T) *record {
	t.Helper()
	sound := f.record(t)
	wrong := *sound
	wrong.Facts = slices.Clone(sound.Facts)
	wrong.Facts[0].Version = "9.9"
	data, err := json.Marshal(&wrong)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, f.records(t)[0], string(data))
	return sound
}

// evaluated reports whether calls evaluated the image and read its
// derivations, as a build without a record does (whether it builds
// depends on what the store already holds).
func evaluated(calls []string) bool {
	return slices.Contains(calls, "eval") && slices.Contains(calls, "show-derivation")
}
