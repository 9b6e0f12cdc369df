package layers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
)

func TestPlan(t *testing.T) {
	c := docCatalog(t)
	app := []nix.PathInfo{pi("app", 5, "app-data", "curl-lib", "glibc"), pi("app-data", 80)}
	patched := pi("python3-patched", 100, "openssl", "libffi")
	tests := []struct {
		name      string
		partition Budget // docBudget if zero
		plan      Budget // docBudget if zero
		roots     map[string]string
		extra     []nix.PathInfo
		want      []string // describeLayers
		bloat     int64
		merges    []string // describeMerges
		catalog   []string // CatalogAttrs
	}{{
		name:  "catalog attributes only",
		roots: roots("jq", "jq"),
		want: []string{
			"catalog glibc [curl git jq python312] size=30 bloat=0 block=glibc",
			"catalog jq oniguruma [jq] size=2 bloat=0 block=jq oniguruma",
		},
		catalog: []string{"jq"},
	}, {
		name:  "an attribute's closure holds another's out path",
		roots: roots("git", "git"),
		want: []string{
			"catalog glibc [curl git jq python312] size=30 bloat=0 block=glibc",
			"catalog openssl [curl git python312] size=7 bloat=0 block=openssl",
			"catalog curl-lib [curl git] size=1 bloat=0 block=curl-lib",
			"catalog python3 [git python312] size=100 bloat=0 block=python3",
			"catalog libffi [git python312] size=1 bloat=0 block=libffi",
			"catalog git perl [git] size=105 bloat=0 block=git perl",
		},
		catalog: []string{"git", "python312"},
	}, {
		name:  "the example of the documentation",
		roots: roots("jq", "jq", "python312", "python3", "app", "app"),
		extra: app,
		want: []string{
			"catalog glibc [curl git jq python312] size=30 bloat=0 block=glibc",
			"catalog openssl [curl git python312] size=7 bloat=0 block=openssl",
			"catalog python3 [git python312] size=100 bloat=0 block=python3",
			"catalog libffi [git python312] size=1 bloat=0 block=libffi",
			"catalog jq oniguruma [jq] size=2 bloat=0 block=jq oniguruma",
			"partial curl-lib [app] size=1 bloat=0 block=curl-lib",
			"extra app [app] size=5 bloat=0",
			"extra app-data [app] size=80 bloat=0",
		},
		catalog: []string{"jq", "python312"},
	}, {
		// The out path of python312 is in the image, so its blocks are
		// whole catalog layers, shared with every image that has
		// python312.
		name:  "an extra root refers to a catalog out path",
		roots: roots("tool", "tool"),
		extra: []nix.PathInfo{pi("tool", 2, "python3")},
		want: []string{
			"catalog glibc [curl git jq python312] size=30 bloat=0 block=glibc",
			"catalog openssl [curl git python312] size=7 bloat=0 block=openssl",
			"catalog python3 [git python312] size=100 bloat=0 block=python3",
			"catalog libffi [git python312] size=1 bloat=0 block=libffi",
			"extra tool [tool] size=2 bloat=0",
		},
		catalog: []string{"python312"},
	}, {
		// A catalog attribute with another out path (from an overlay) is
		// an extra root; the catalog paths it needs come in partial
		// layers, one per block.
		name:  "an overridden catalog attribute",
		roots: map[string]string{"python312": sp("python3-patched")},
		extra: []nix.PathInfo{patched},
		want: []string{
			"partial openssl [python312] size=7 bloat=0 block=openssl",
			"partial libffi [python312] size=1 bloat=0 block=libffi",
			"partial glibc [python312] size=30 bloat=0 block=glibc",
			"extra python3-patched [python312] size=100 bloat=0",
		},
		catalog: []string{},
	}, {
		name:  "extra paths grouped by signature",
		roots: roots("x", "x", "y", "y"),
		extra: []nix.PathInfo{
			pi("x", 1, "shared", "x-lib"), pi("x-lib", 2), pi("y", 3, "shared"), pi("shared", 4),
		},
		want: []string{
			"extra shared [x y] size=4 bloat=0",
			"extra y [y] size=3 bloat=0",
			"extra x x-lib [x] size=3 bloat=0",
		},
		catalog: []string{},
	}, {
		// Plan's budget leaves 4 store layers: 2 catalog ones and 2 for
		// the rest. libffi and openssl have the same signature as
		// python3-patched but make a smaller layer, so they merge.
		name:  "the budget merges partial and extra layers",
		plan:  Budget{MaxLayers: 5, Reserved: 1, LargePath: 64},
		roots: map[string]string{"jq": sp("jq"), "python312": sp("python3-patched")},
		extra: []nix.PathInfo{patched},
		want: []string{
			"catalog glibc [curl git jq python312] size=30 bloat=0 block=glibc",
			"catalog jq oniguruma [jq] size=2 bloat=0 block=jq oniguruma",
			"partial libffi openssl [python312] size=8 bloat=0",
			"extra python3-patched [python312] size=100 bloat=0",
		},
		merges:  []string{"[python312] 1 + [python312] 7 = [python312] cost=0"},
		catalog: []string{"jq"},
	}, {
		// With 5 blocks, curl, curl-lib and openssl share one, which
		// python312 brings in whole.
		name:      "a merged block brings bloat",
		partition: Budget{MaxLayers: 7, Reserved: 1, LargePath: 64},
		roots:     roots("python312", "python3"),
		want: []string{
			"catalog glibc [curl git jq python312] size=30 bloat=0 block=glibc",
			"catalog curl curl-lib openssl [curl git python312] size=9 bloat=2 block=curl curl-lib openssl",
			"catalog libffi python3 [git python312] size=101 bloat=0 block=libffi python3",
		},
		bloat:   2,
		catalog: []string{"python312"},
	}, {
		name:    "empty image",
		roots:   map[string]string{},
		catalog: []string{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Partition(c, orBudget(tt.partition))
			if err != nil {
				t.Fatal(err)
			}
			plan, err := Plan(imageOf(t, c, tt.roots, tt.extra...), p, orBudget(tt.plan))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describeLayers(t, p, plan.Layers)); diff != "" {
				t.Errorf("layers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.merges, describeMerges(t, plan.Merges)); diff != "" {
				t.Errorf("merges (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.catalog, plan.CatalogAttrs); diff != "" {
				t.Errorf("catalog attributes (-want +got):\n%s", diff)
			}
			if plan.Bloat != tt.bloat {
				t.Errorf("bloat %d, want %d", plan.Bloat, tt.bloat)
			}
		})
	}
}

// orBudget returns b, or docBudget if b is zero.
func orBudget(b Budget) Budget {
	if b == (Budget{}) {
		return docBudget
	}
	return b
}

func TestPlanErrors(t *testing.T) {
	c := docCatalog(t)
	p, err := Partition(c, docBudget)
	if err != nil {
		t.Fatal(err)
	}
	jq := imageOf(t, c, roots("jq", "jq"))
	tests := []struct {
		name   string
		img    Image
		p      *Partitioning
		budget Budget
		want   string
	}{
		{"no partitioning", jq, nil, docBudget, "the partitioning was not made by Partition"},
		{"partitioning not made by Partition", jq, &Partitioning{Blocks: p.Blocks}, docBudget, "the partitioning was not made by Partition"},
		{"no graph", Image{Roots: roots("jq", "jq")}, p, docBudget, "image has no closure graph"},
		{"root outside the graph", Image{Roots: roots("jq", "jq", "git", "git"), Graph: jq.Graph}, p, docBudget,
			`image attribute "git": out path "` + sp("git") + `" is not in the closure graph`},
		{"path outside every closure", Image{Roots: roots("onig", "oniguruma"), Graph: jq.Graph}, p, docBudget,
			"image closure graph has " + sp("jq") + ", which is in the closure of no attribute"},
		{"another NAR hash", Image{Roots: roots("glibc", "glibc"), Graph: closure(t, []nix.PathInfo{{Path: sp("glibc"), NarHash: "sha256-other", NarSize: 30}})}, p, docBudget,
			sp("glibc") + ` has NAR size 30 and hash "sha256-other" in the image but 30 and "sha256-glibc" in the catalog`},
		{"another NAR size", Image{Roots: roots("glibc", "glibc"), Graph: closure(t, []nix.PathInfo{pi("glibc", 31)})}, p, docBudget,
			sp("glibc") + ` has NAR size 31 and hash "sha256-glibc" in the image but 30 and "sha256-glibc" in the catalog`},
		{"too many catalog layers", imageOf(t, c, roots("git", "git")), p, Budget{MaxLayers: 4, Reserved: 1},
			"the image needs 6 catalog layers and 0 more, but the budget allows 3 store layers"},
		{"no room for the rest", imageOf(t, c, roots("jq", "jq", "x", "x"), pi("x", 1)), p, Budget{MaxLayers: 3, Reserved: 1},
			"the image needs 2 catalog layers and 1 more, but the budget allows 2 store layers"},
		{"bad budget", jq, p, Budget{MaxLayers: -1}, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Plan(tt.img, tt.p, tt.budget)
			if err == nil || !strings.HasPrefix(err.Error(), "planning image layers: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one starting with %q and containing %q", err, "planning image layers: ", tt.want)
			}
		})
	}
}

// TestPlanGolden records the partitionings and plans of the package
// documentation's example in testdata/example.golden.json, IDs included,
// so that any change to the output format or the IDs shows in review.
func TestPlanGolden(t *testing.T) {
	c := docCatalog(t)
	app := []nix.PathInfo{pi("app", 5, "app-data", "curl-lib", "glibc"), pi("app-data", 80)}
	type budgetCase struct {
		Partitioning *Partitioning         `json:"partitioning"`
		Plans        map[string]*ImagePlan `json:"plans"`
	}
	got := map[string]budgetCase{}
	for name, b := range map[string]Budget{"default": docBudget, "maxLayers7": {MaxLayers: 7, Reserved: 1, LargePath: 64}} {
		p, err := Partition(c, b, docSets...)
		if err != nil {
			t.Fatal(err)
		}
		bc := budgetCase{Partitioning: p, Plans: map[string]*ImagePlan{}}
		for img, r := range map[string]map[string]string{
			"jq+python312+app": roots("jq", "jq", "python312", "python3", "app", "app"),
			"git":              roots("git", "git"),
		} {
			plan, err := Plan(imageOf(t, c, r, app...), p, b)
			if err != nil {
				t.Fatal(err)
			}
			bc.Plans[img] = plan
		}
		got[name] = bc
	}
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "example.golden.json", append(data, '\n'))
}

// checkGolden compares got with testdata/name, or rewrites the file with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", file, diff)
	}
}
