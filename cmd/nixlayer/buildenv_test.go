package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// buildEnv points nixlayer at the test universe and the shared test store,
// and returns the test's own cache directory.
func buildEnv(t testing.TB) (cache string) {
	t.Helper()
	useUniverse(t)
	cache = t.TempDir()
	t.Setenv("NIXLAYER_CACHE", cache)
	return cache
}

// useUniverse points nixlayer at the test universe, with the shared test
// store (see testenv.SharedNixEnv) and Nix settings of the test's own, and
// runs the test in an empty directory.
func useUniverse(t testing.TB) {
	t.Helper()
	universe := testenv.UniverseRef(t)
	store, env := testenv.SharedNixEnv(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("NIXLAYER_NIXPKGS", universe)
	t.Setenv("NIXLAYER_STORE", store)
	t.Chdir(t.TempDir())
}

// build runs nixlayer build with --json and returns its summary, and the
// image from the OCI layout it wrote next to -o.
func build(t *testing.T, kind, sets string, extra ...string) (pipeline.Summary, v1.Image, string) {
	t.Helper()
	dir := t.TempDir()
	tar, lay := filepath.Join(dir, kind+".tar"), filepath.Join(dir, "layout")
	args := append([]string{"build", kind, "--sets", sets, "-o", tar, "--oci-layout", lay, "--json", "-q"}, extra...)
	code, stdout, stderr := cli(t, args...)
	if code != exitOK {
		t.Fatalf("nixlayer %s: exit status %d: %s", strings.Join(args, " "), code, stderr)
	}
	var s pipeline.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("decoding the summary %q: %v", stdout, err)
	}
	img := readLayout(t, lay)
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if d.String() != s.Digest {
		t.Errorf("summary digest %s, layout holds %s", s.Digest, d)
	}
	return s, img, tar
}

func config(t *testing.T, img v1.Image) *v1.ConfigFile {
	t.Helper()
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// assertOnly checks that dir holds exactly the names given.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// cancelOn is a standard error that cancels the build when a line starts
// with line.
type cancelOn struct {
	mu     sync.Mutex
	line   string
	cancel func()
	seen   bool
	buf    strings.Builder
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	for _, l := range strings.Split(c.buf.String(), "\n") {
		if strings.HasPrefix(l, c.line) {
			c.seen = true
			c.cancel()
		}
	}
	return len(p), nil
}
