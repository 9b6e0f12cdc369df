package storelayers_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/nix/nixtest"
	"github.com/nixlayer/nixlayer/internal/storelayers"
)

// TestCompress compresses two planned layers whose paths come from two
// closures, as a build's come from the image's and the catalog's: the
// layers say what they hold, a second compression into the same cache
// reuses every path and gives the same blobs, and so does one into
// another cache.
func TestCompress(t *testing.T) {
	n := nixtest.New(t, "x86_64-linux")
	libc := n.Path("glibc-2.40", nixtest.Files{"lib/libc.so.6": "ELF libc"})
	hello := n.Package("hello", "hello-2.12.2", nixtest.Files{"bin/hello": "ELF hello"}, libc)
	jq := n.Package("jq", "jq-1.7.1", nixtest.Files{"bin/jq": "ELF jq"}, libc)
	d := n.Driver()
	imageClosure, catalogClosure := build(t, d, n, hello), build(t, d, n, jq)
	ls := []layers.Layer{
		{Kind: layers.KindCatalog, Paths: []string{libc, jq}},
		{Kind: layers.KindExtra, Paths: []string{hello}},
	}
	cache := cachedir.Dir(t.TempDir())
	c := storelayers.Compressor{Cache: cache, Store: d.Root()}

	first, stats, err := c.Compress(t.Context(), ls, imageClosure, catalogClosure)
	if err != nil {
		t.Fatal(err)
	}
	if stats.PathsCompressed != 3 || stats.PathsReused != 0 {
		t.Errorf("the first compression: %+v, want 3 paths compressed", stats)
	}
	var got [][2]string
	for _, l := range first {
		got = append(got, [2]string{l.Annotations[image.AnnotationStorePaths], l.CreatedBy})
	}
	want := [][2]string{
		{libc + "\n" + jq, "nixlayer: catalog layer of 2 store paths"},
		{hello, "nixlayer: extra layer of 1 store paths"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the layers' paths and history (-want +got):\n%s", diff)
	}

	again, stats, err := c.Compress(t.Context(), ls, imageClosure, catalogClosure)
	if err != nil {
		t.Fatal(err)
	}
	if stats.PathsCompressed != 0 || stats.PathsReused != 3 {
		t.Errorf("a compression into the same cache: %+v, want every path reused", stats)
	}
	other, _, err := storelayers.Compressor{Cache: cachedir.Dir(t.TempDir()), Store: d.Root()}.Compress(t.Context(), ls, catalogClosure, imageClosure)
	if err != nil {
		t.Fatal(err)
	}
	firstDigests := digests(t, first)
	if diff := cmp.Diff(firstDigests, digests(t, again)); diff != "" {
		t.Errorf("the layers from the same cache (-first +again):\n%s", diff)
	}
	if diff := cmp.Diff(firstDigests, digests(t, other)); diff != "" {
		t.Errorf("the layers from another cache (-first +other):\n%s", diff)
	}

	_, _, err = c.Compress(t.Context(), ls, imageClosure)
	if err == nil || !strings.Contains(err.Error(), jq+" is in no closure") {
		t.Errorf("a path in none of the closures: %v", err)
	}
}

// build builds out in the fake and returns its closure.
func build(t *testing.T, d *nix.Driver, n *nixtest.Nix, out string) *nix.Closure {
	t.Helper()
	n.Realise(out)
	c, err := d.PathInfo(t.Context(), out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.Paths(), out) {
		t.Fatalf("the closure of %s: %v", out, c.Paths())
	}
	return c
}

// digests are the digests of ls, in order.
func digests(t *testing.T, ls []image.Layer) []string {
	t.Helper()
	var out []string
	for _, l := range ls {
		h, err := l.Layer.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, h.String())
	}
	return out
}
