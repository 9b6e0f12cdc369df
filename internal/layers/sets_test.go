package layers

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewUsage(t *testing.T) {
	attrs := []string{"curl", "git", "jq", "python312"}
	u, err := newUsage(attrs, []Set{
		{Name: "tools", Attrs: []string{"git", "jq", "curl", "htop"}},
		{Name: "outside", Attrs: []string{"htop"}}, // no catalog attribute: left out
		{Name: "data", Attrs: []string{"jq", "jq"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The sets by name, then python312, in no set, as a set of its own.
	if diff := cmp.Diff([]string{"data", "tools", "python312"}, u.names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	var got []string
	for i := range attrs {
		got = append(got, strings.Join(u.ofAttr[i].names(u.names), " "))
	}
	if diff := cmp.Diff([]string{"tools", "tools", "data tools", "python312"}, got); diff != "" {
		t.Errorf("sets of each attribute (-want +got):\n%s", diff)
	}
	sig := newAttrSet(len(attrs))
	sig.add(0) // curl
	sig.add(3) // python312
	if got := u.of(sig).names(u.names); !cmp.Equal(got, []string{"tools", "python312"}) {
		t.Errorf("sets of {curl, python312} = %v", got)
	}
}

func TestNewUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		sets []Set
		want string
	}{
		{"no name", []Set{{Attrs: []string{"a", "b"}}}, "a set with attributes a, b has no name"},
		{"twice", []Set{{Name: "x", Attrs: []string{"a"}}, {Name: "x", Attrs: []string{"b"}}}, `set "x" is given twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Partition(docCatalog(t), Budget{}, tt.sets...)
			if err == nil || err.Error() != "partitioning catalog: "+tt.want {
				t.Errorf("error %v, want %q", err, "partitioning catalog: "+tt.want)
			}
		})
	}
}
