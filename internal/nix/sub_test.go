package nix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSub(t *testing.T) {
	c, err := NewClosure([]PathInfo{
		pi("app", 1, "lib", "bin"),
		pi("lib", 10, "libc"),
		pi("libc", 100, "libc"),
		pi("bin", 1000, "libc", "lib"),
		pi("tool", 5, "libc"),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		roots []string
		want  []string
		total int64
	}{
		{sps("lib"), sps("lib", "libc"), 110},
		{sps("bin", "tool"), sps("bin", "lib", "libc", "tool"), 1115},
		{sps("app", "app"), sps("app", "bin", "lib", "libc"), 1111},
		{nil, nil, 0},
	}
	for _, tt := range tests {
		sub, err := c.Sub(tt.roots...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, sub.Paths()); diff != "" || sub.Total() != tt.total {
			t.Errorf("Sub(%v): total %d, want %d; paths (-want +got):\n%s", tt.roots, sub.Total(), tt.total, diff)
		}
		for _, p := range sub.Paths() {
			got, _ := sub.Lookup(p)
			want, _ := c.Lookup(p)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Sub(%v): %s (-want +got):\n%s", tt.roots, p, diff)
			}
		}
	}
	if _, err := c.Sub(sp("missing")); err == nil {
		t.Error("Sub of a path outside the closure gave no error")
	}
}
