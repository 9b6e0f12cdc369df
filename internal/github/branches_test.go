package github

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBranch(t *testing.T) {
	tests := []struct {
		name string
		want Release
		ok   bool
	}{
		{"nixos-26.05-small", Release{26, 5}, true},
		{"nixos-26.11-small", Release{26, 11}, true},
		{"nixos-00.01-small", Release{0, 1}, true},
		{"nixos-26.05", Release{}, false},
		{"nixos-unstable", Release{}, false},
		{"nixos-unstable-small", Release{}, false},
		{"nixos-26.5-small", Release{}, false},
		{"nixos-2026.05-small", Release{}, false},
		{"nixos-foo-small", Release{}, false},
		{"nixos-ab.cd-small", Release{}, false},
		{"nixos-26.13-small", Release{}, false},
		{"nixos-26.00-small", Release{}, false},
		{"nixos-26-05-small", Release{}, false},
		{"nixos-26.05-smal", Release{}, false},
		{"nixos-26.05-small-staging", Release{}, false},
		{"refs/heads/nixos-26.05-small", Release{}, false},
		{"nixpkgs-26.05-darwin", Release{}, false},
		{"", Release{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseBranch(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseBranch(%q) = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
		if ok && got.Branch() != tt.name {
			t.Errorf("ParseBranch(%q).Branch() = %q", tt.name, got.Branch())
		}
	}
}

func TestNewest(t *testing.T) {
	all := []string{"nixos-25.11-small", "nixos-unstable-small", "nixos-26.11-small", "nixos-26.05-small", "nixos-27.5-small", "nixos-26.11"}
	tests := []struct {
		current  string
		branches []string
		want     string
		newer    bool
	}{
		{"nixos-26.05-small", all, "nixos-26.11-small", true},
		{"nixos-26.11-small", all, "nixos-26.11-small", false},
		{"nixos-27.05-small", all, "nixos-26.11-small", false},
		{"nixos-25.11-small", []string{"nixos-26.05-small", "nixos-25.11-small", "nixos-26.05-small"}, "nixos-26.05-small", true},
		{"nixos-unstable", all, "nixos-26.11-small", false},
		{"nixos-26.05", all, "nixos-26.11-small", false},
		{"nixos-26.05-small", []string{"nixos-unstable", "nixos-foo-small", "nixos-26.5-small"}, "", false},
		{"nixos-26.05-small", nil, "", false},
	}
	for _, tt := range tests {
		got, newer := Newest(tt.current, tt.branches)
		if got != tt.want || newer != tt.newer {
			t.Errorf("Newest(%q, %q) = %q, %v; want %q, %v", tt.current, tt.branches, got, newer, tt.want, tt.newer)
		}
	}
}

func TestReleaseOrder(t *testing.T) {
	got := releaseBranches([]string{"nixos-26.05-small", "nixos-9.99-small", "nixos-25.11-small", "nixos-26.05-small", "nixos-09.03-small", "nixos-26.05"})
	want := []string{"nixos-09.03-small", "nixos-25.11-small", "nixos-26.05-small"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("releaseBranches (-want +got):\n%s", diff)
	}
	if s := (Release{26, 5}).String(); s != "26.05" {
		t.Errorf("String() = %q", s)
	}
}

// FuzzParseBranch checks that a name ParseBranch accepts is exactly the
// branch name of its release.
func FuzzParseBranch(f *testing.F) {
	f.Add("nixos-26.05-small")
	f.Add("nixos-26.5-small")
	f.Add("nixos-unstable-small")
	f.Fuzz(func(t *testing.T, name string) {
		r, ok := ParseBranch(name)
		if ok && (r.Branch() != name || r.Month < 1 || r.Month > 12 || r.Year < 0 || r.Year > 99) {
			t.Errorf("ParseBranch(%q) = %+v, whose branch is %q", name, r, r.Branch())
		}
		if !ok && r != (Release{}) {
			t.Errorf("ParseBranch(%q) = %+v, false", name, r)
		}
	})
}
