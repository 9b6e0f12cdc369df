package report

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{
		0:             "0 B",
		1023:          "1023 B",
		1024:          "1.0 KiB",
		1536:          "1.5 KiB",
		12_700_000:    "12.1 MiB",
		3 << 30:       "3.0 GiB",
		1<<62 + 1<<61: "6.0 EiB",
	} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

const (
	glibc = "/nix/store/lr4fn78cbh0jiwi74cgrnvdv6110rp3d-glibc-2.36"
	bash  = "/nix/store/390s3xpxbd1wpwy212xw536c8xsqngys-bash-5.2.15"
)

func testClosure(t *testing.T) *nix.Closure {
	t.Helper()
	c, err := nix.NewClosure([]nix.PathInfo{
		{Path: glibc, NarHash: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", NarSize: 12_700_000, References: []string{glibc}},
		{Path: bash, NarHash: "sha256-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=", NarSize: 1_363_000, References: []string{glibc}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClosure(t *testing.T) {
	var out bytes.Buffer
	if err := Closure(&out, testClosure(t)); err != nil {
		t.Fatal(err)
	}
	want := `   1.3 MiB  /nix/store/390s3xpxbd1wpwy212xw536c8xsqngys-bash-5.2.15
  12.1 MiB  /nix/store/lr4fn78cbh0jiwi74cgrnvdv6110rp3d-glibc-2.36
2 paths, 13.4 MiB
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("closure report (-want +got):\n%s", diff)
	}
}

func TestClosureDoc(t *testing.T) {
	plan := &flake.Plan{System: "x86_64-linux", Packages: []flake.Package{{Attr: "bashInteractive", OutPath: bash}}}
	doc := NewClosureDoc(sets.Selection{Sets: []string{"base"}}, plan, testClosure(t))
	if doc.Total != 14_063_000 || len(doc.Paths) != 2 || doc.Paths[0].Path != bash || doc.Sets[0] != "base" {
		t.Errorf("doc = %+v", doc)
	}
	if empty := NewClosureDoc(sets.Selection{}, plan, testClosure(t)); empty.Sets == nil {
		t.Error("Sets is null in JSON when no set was selected; want []")
	}
}
