package layerstest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// TestDebian checks that the Debian catalog is what the planner's tests
// need of it: the catalog attributes of the built-in sets, a real size,
// large paths, and more signature groups than the smaller budgets hold.
func TestDebian(t *testing.T) {
	fx := Debian()
	var setAttrs []string
	for _, attrs := range fx.Sets {
		setAttrs = append(setAttrs, attrs...)
	}
	slices.Sort(setAttrs)
	if diff := cmp.Diff(setAttrs, fx.Catalog.Attrs()); diff != "" {
		t.Errorf("catalog attributes are not those of the sets (-sets +catalog):\n%s", diff)
	}
	g := fx.Catalog.Graph
	if g.Len() < 400 || g.Total() < 2<<30 {
		t.Errorf("%d paths of %d MiB, want a catalog of real size: hundreds of paths, gigabytes", g.Len(), g.Total()>>20)
	}
	large := 0
	for _, p := range g.Paths() {
		if info, _ := g.Lookup(p); info.NarSize >= layers.DefaultLargePath {
			large++
		}
	}
	if large < 5 {
		t.Errorf("%d paths of 64 MiB or more, want several", large)
	}
	p, err := layers.Partition(fx.Catalog, layers.Budget{Reserved: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Groups <= 98 {
		t.Errorf("%d signature groups, want more than the default budget's 98 blocks", p.Groups)
	}
	if _, err := NewImage(fx.Catalog, fx.Catalog.Attrs(), fx.Extras...); err != nil {
		t.Error(err)
	}
}
