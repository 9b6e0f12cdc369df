package sets

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec string
		want []string
	}{
		{"base", []string{"base"}},
		{"base,python", []string{"base", "python"}},
		{" base , python ", []string{"base", "python"}},
		{"python,base", []string{"python", "base"}},
		{"base,python,base", []string{"base", "python"}},
		{"\tbase,\npython", []string{"base", "python"}},
		{"pyhton", []string{"pyhton"}}, // existence is Compose's job
	}
	for _, tt := range tests {
		got, err := ParseSpec(tt.spec)
		if err != nil {
			t.Errorf("ParseSpec(%q): %v", tt.spec, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseSpec(%q) mismatch (-want +got):\n%s", tt.spec, diff)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	empty := `parsing set spec: it is empty; list sets separated by commas, such as "base,python"`
	tests := []struct{ spec, want string }{
		{"", empty},
		{"   ", empty},
		{",", `parsing set spec ",": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{" , ,", `parsing set spec " , ,": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{"base,", `parsing set spec "base,": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{"base,,python", `parsing set spec "base,,python": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{",base", `parsing set spec ",base": it has an empty set name; separate set names with single commas, such as "base,python"`},
	}
	for _, tt := range tests {
		got, err := ParseSpec(tt.spec)
		if err == nil {
			t.Errorf("ParseSpec(%q) = %q, want error %q", tt.spec, got, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("ParseSpec(%q) error mismatch (-want +got):\n%s", tt.spec, diff)
		}
		if !errors.Is(err, usererr.ErrBadInput) {
			t.Errorf("ParseSpec(%q) error does not wrap usererr.ErrBadInput", tt.spec)
		}
	}
}
