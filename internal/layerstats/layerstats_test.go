package layerstats

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// exampleCatalog is the catalog of the layers package's worked example,
// sizes in MiB.
func exampleCatalog(t *testing.T) layers.Catalog {
	t.Helper()
	path := func(name string) string { return "/nix/store/" + strings.Repeat("0", 32) + "-" + name }
	info := func(name string, mib int64, refs ...string) nix.PathInfo {
		i := nix.PathInfo{Path: path(name), NarHash: "sha256-" + name, NarSize: mib << 20, References: []string{}}
		for _, r := range refs {
			i.References = append(i.References, path(r))
		}
		return i
	}
	g, err := nix.NewClosure([]nix.PathInfo{
		info("glibc", 30), info("openssl", 7, "glibc"), info("curl-lib", 1, "openssl"), info("curl", 1, "curl-lib"),
		info("perl", 55, "glibc"), info("git", 50, "curl-lib", "perl", "python3"), info("libffi", 1, "glibc"),
		info("python3", 100, "openssl", "libffi"), info("oniguruma", 1, "glibc"), info("jq", 1, "oniguruma"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return layers.Catalog{Roots: map[string]string{"curl": path("curl"), "git": path("git"), "jq": path("jq"), "python312": path("python3")}, Graph: g}
}

func TestLayers(t *testing.T) {
	c := exampleCatalog(t)
	sets := []layers.Set{{Name: "tools", Attrs: []string{"curl", "git", "jq"}}, {Name: "python", Attrs: []string{"python312"}}}
	tests := []struct {
		name string
		b    layers.Budget
		sets []layers.Set
		want string
	}{{
		name: "default budget",
		b:    layers.Budget{Reserved: 1},
		sets: sets,
		want: `catalog     4 attributes for x86_64-linux: 10 store paths, 247.0 MiB
sets        2: tools python
signatures  7 by attribute, 2 by set
groups      8: a signature's paths, with each path of 64.0 MiB or more alone
budget      100 layers, 1 reserved and 1 for paths outside the catalog: room for 98 catalog blocks
merges      none
headroom    90 more groups fit before a merge
`,
	}, {
		name: "7 layers",
		b:    layers.Budget{MaxLayers: 7, Reserved: 1},
		sets: sets,
		want: `catalog     4 attributes for x86_64-linux: 10 store paths, 247.0 MiB
sets        2: tools python
signatures  7 by attribute, 2 by set
groups      8: a signature's paths, with each path of 64.0 MiB or more alone
budget      7 layers, 1 reserved and 1 for paths outside the catalog: room for 5 catalog blocks
merges      3, into 2 blocks, none with bloat for images made of the sets
headroom    -3: 8 groups for 5 blocks
glued       {git, python312} + {curl, git, python312}
glued       {curl} + {curl, git} + {jq}
`,
	}, {
		// Without sets, each attribute is a set of its own, and every
		// merge costs some.
		name: "7 layers, no sets",
		b:    layers.Budget{MaxLayers: 7, Reserved: 1},
		want: `catalog     4 attributes for x86_64-linux: 10 store paths, 247.0 MiB
sets        none: each attribute counts as a set of its own
signatures  7 by attribute, 7 by set
groups      8: a signature's paths, with each path of 64.0 MiB or more alone
budget      7 layers, 1 reserved and 1 for paths outside the catalog: room for 5 catalog blocks
merges      3, into 2 blocks, 1 with bloat for images made of the sets (expected 3.0 MiB)
headroom    -3: 8 groups for 5 blocks
glued       {curl} + {curl, git} + {curl, git, python312} (expected bloat 3.0 MiB)
glued       {git, python312} + {git, python312}
`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := layers.Partition(c, tt.b, tt.sets...)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, New("x86_64-linux", c, p, tt.sets)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestGluedLines(t *testing.T) {
	if got := GluedLines(73, 25, nil); got != nil {
		t.Errorf("lines %q for a catalog that fits", got)
	}
	glued := []layers.Glued{
		{Groups: [][]string{{"nix-direnv"}, {"direnv", "nix", "nix-direnv"}}},
		{Groups: [][]string{{"bat"}, {"cargo"}}, Cost: 3 << 20},
	}
	want := [][2]string{
		{"warning", "the catalog has 102 signature groups for the 98 blocks of the layer budget; merges: 4, into 2 blocks, 1 with bloat for images made of the sets (expected 3.0 MiB)"},
		{"glued", "{nix-direnv} + {direnv, nix, nix-direnv}"},
		{"glued", "{bat} + {cargo} (expected bloat 3.0 MiB)"},
	}
	if diff := cmp.Diff(want, GluedLines(102, -4, glued)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSignature(t *testing.T) {
	for attrs, want := range map[string]string{
		"jq":          "{jq}",
		"a b c d e":   "{a, b, c, d, e}",
		"a b c d e f": "{a, b, c, d, and 2 more}",
	} {
		if got := Signature(strings.Fields(attrs)); got != want {
			t.Errorf("Signature(%s) = %q, want %q", attrs, got, want)
		}
	}
}
