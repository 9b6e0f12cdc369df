package layerstest

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSynthetic(t *testing.T) {
	fx := Synthetic(1)
	var setAttrs []string
	for _, attrs := range fx.Sets {
		setAttrs = append(setAttrs, attrs...)
	}
	slices.Sort(setAttrs)
	if diff := cmp.Diff(setAttrs, fx.Catalog.Attrs()); diff != "" {
		t.Errorf("catalog attributes are not those of the sets (-sets +catalog):\n%s", diff)
	}
	if len(fx.Sets) != 17 || len(setAttrs) != 53 {
		t.Errorf("%d sets with %d attributes, want 17 with 53", len(fx.Sets), len(setAttrs))
	}

	// Shared dependencies: glibc is in nearly every closure.
	glibc := fx.Catalog.Roots["glibc"]
	users := 0
	for _, a := range fx.Catalog.Attrs() {
		img, err := NewImage(fx.Catalog, []string{a})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := img.Graph.Lookup(glibc); ok {
			users++
		}
	}
	if users < 40 {
		t.Errorf("glibc is in the closure of %d attributes, want most of 47", users)
	}
	large := 0
	for _, p := range fx.Catalog.Graph.Paths() {
		if info, _ := fx.Catalog.Graph.Lookup(p); info.NarSize >= 64<<20 {
			large++
		}
	}
	if large < 5 {
		t.Errorf("%d paths of 64 MiB or more, want several", large)
	}

	// The extras need only themselves and the catalog.
	if _, err := NewImage(fx.Catalog, nil, fx.Extras...); err != nil {
		t.Error(err)
	}
	if got := slices.Sorted(maps.Keys(extrasByAttr(fx.Extras))); !slices.Equal(got, []string{"app", "company-ca", "python-tool"}) {
		t.Errorf("extras %v", got)
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	encode := func(fx Fixture) string {
		data, err := json.Marshal(struct {
			Catalog any
			Extras  []Extra
		}{fx.Catalog, fx.Extras})
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	one, again, two := encode(Synthetic(1)), encode(Synthetic(1)), encode(Synthetic(2))
	if one != again {
		t.Error("Synthetic(1) differs between calls")
	}
	if one == two {
		t.Error("Synthetic(1) and Synthetic(2) are the same")
	}
}

func extrasByAttr(extras []Extra) map[string]Extra {
	m := make(map[string]Extra)
	for _, e := range extras {
		m[e.Attr] = e
	}
	return m
}
