package nix

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// sp returns a store path named name, whose hash part sorts like the name.
func sp(name string) string { return "/nix/store/" + strings.Repeat("0", 32) + "-" + name }

// pi returns the PathInfo of sp(name) with the given size and references.
func pi(name string, size int64, refs ...string) PathInfo {
	info := PathInfo{Path: sp(name), NarHash: sri, NarSize: size, References: []string{}}
	for _, r := range refs {
		info.References = append(info.References, sp(r))
	}
	return info
}

func sps(names ...string) []string {
	var paths []string
	for _, n := range names {
		paths = append(paths, sp(n))
	}
	return paths
}

func TestClosureDiamond(t *testing.T) {
	c, err := NewClosure([]PathInfo{
		pi("app", 1, "lib", "bin"),
		pi("lib", 10, "libc"),
		pi("libc", 100, "libc"), // self-reference
		pi("bin", 1000, "libc", "lib"),
	})
	if err != nil {
		t.Fatal(err)
	}
	eq := func(what string, got, want any) {
		t.Helper()
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}
	eq("Paths", c.Paths(), sps("app", "bin", "lib", "libc"))
	eq("Len", c.Len(), 4)
	eq("Total", c.Total(), int64(1111))
	eq("Roots", c.Roots(), sps("app"))
	eq("TopoSort", c.TopoSort(), sps("libc", "lib", "bin", "app"))
	eq("References(bin)", c.References(sp("bin")), sps("lib", "libc"))
	eq("References(libc)", c.References(sp("libc")), []string(nil))
	eq("Referrers(libc)", c.Referrers(sp("libc")), sps("bin", "lib"))
	eq("Referrers(lib)", c.Referrers(sp("lib")), sps("app", "bin"))
	eq("Referrers(app)", c.Referrers(sp("app")), []string(nil))
	eq("References(missing)", c.References(sp("missing")), []string(nil))

	info, ok := c.Lookup(sp("libc"))
	eq("Lookup(libc)", info, pi("libc", 100, "libc"))
	eq("Lookup(libc) found", ok, true)
	if _, ok := c.Lookup(sp("missing")); ok {
		t.Error("Lookup(missing) found it")
	}

	// Results are copies.
	c.Paths()[0] = "x"
	c.TopoSort()[0] = "x"
	info.References[0] = "x"
	eq("Paths after change", c.Paths()[0], sp("app"))
	eq("TopoSort after change", c.TopoSort()[0], sp("libc"))
	info, _ = c.Lookup(sp("libc"))
	eq("Lookup after change", info.References, sps("libc"))
}

func TestClosureTopoSortDeterministic(t *testing.T) {
	infos := []PathInfo{pi("z", 0, "a"), pi("y", 0), pi("b", 0), pi("a", 0), pi("c", 0, "z", "y")}
	want := sps("a", "b", "y", "z", "c")
	for i := 0; i < len(infos); i++ {
		rotated := append(append([]PathInfo{}, infos[i:]...), infos[:i]...)
		c, err := NewClosure(rotated)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, c.TopoSort()); diff != "" {
			t.Errorf("rotation %d (-want +got):\n%s", i, diff)
		}
		if diff := cmp.Diff(sps("b", "c"), c.Roots()); diff != "" {
			t.Errorf("Roots (-want +got):\n%s", diff)
		}
	}
}

func TestClosureEmpty(t *testing.T) {
	c, err := NewClosure(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 0 || c.Total() != 0 || len(c.Roots()) != 0 || len(c.TopoSort()) != 0 {
		t.Errorf("empty closure: Len %d, Total %d, Roots %v, TopoSort %v", c.Len(), c.Total(), c.Roots(), c.TopoSort())
	}
}

func TestClosureErrors(t *testing.T) {
	tests := []struct {
		name  string
		infos []PathInfo
		want  string
	}{
		{"incomplete", []PathInfo{pi("app", 1, "lib")}, "incomplete closure: " + sp("app") + " refers to " + sp("lib") + ", which is not in the set"},
		{"duplicate", []PathInfo{pi("a", 1), pi("a", 1)}, "duplicate path " + sp("a")},
		{"cycle", []PathInfo{pi("a", 1, "b"), pi("b", 1, "a")}, "reference cycle through " + sp("a")},
		{"cycle below", []PathInfo{pi("a", 1, "b"), pi("b", 1, "c"), pi("c", 1, "b")}, "reference cycle through " + sp("b")},
		{"negative size", []PathInfo{pi("a", -1)}, "negative or overflows"},
		{"overflow", []PathInfo{pi("a", 1<<62), pi("b", 1<<62)}, "negative or overflows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClosure(tt.infos)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewClosure: %v, want error containing %q", err, tt.want)
			}
		})
	}
}

// TestClosureRealDerivations uses the real Nix 2.8 closure of two .drv
// files and the busybox source they share.
func TestClosureRealDerivations(t *testing.T) {
	c, err := NewClosure(decodeFile(t, "pathinfo-nix2.8-drv.json"))
	if err != nil {
		t.Fatal(err)
	}
	const (
		app   = "/nix/store/8rmhhxkd3hxjwm4hcz2k9yz22zzsiyka-app.drv"
		bb    = "/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"
		hello = "/nix/store/yp5iaah1ximzzfrw84r2dmmkva4w2mp6-hello.drv"
	)
	if diff := cmp.Diff([]string{bb, hello, app}, c.TopoSort()); diff != "" {
		t.Errorf("TopoSort (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{app}, c.Roots()); diff != "" {
		t.Errorf("Roots (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{app, hello}, c.Referrers(bb)); diff != "" {
		t.Errorf("Referrers (-want +got):\n%s", diff)
	}
	if got, want := c.Total(), int64(648+1982568+536); got != want {
		t.Errorf("Total = %d, want %d", got, want)
	}
}

func TestSub(t *testing.T) {
	c, err := NewClosure([]PathInfo{
		{Path: "/nix/store/00000000000000000000000000000001-a", References: []string{"/nix/store/00000000000000000000000000000002-b"}, NarSize: 1},
		{Path: "/nix/store/00000000000000000000000000000002-b", References: []string{"/nix/store/00000000000000000000000000000002-b"}, NarSize: 2},
		{Path: "/nix/store/00000000000000000000000000000003-c", References: []string{"/nix/store/00000000000000000000000000000001-a"}, NarSize: 4},
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := c.Sub("/nix/store/00000000000000000000000000000001-a")
	if err != nil {
		t.Fatal(err)
	}
	if got := sub.Paths(); len(got) != 2 || sub.Total() != 3 || got[1] != "/nix/store/00000000000000000000000000000002-b" {
		t.Errorf("Sub(a) = %v, total %d", got, sub.Total())
	}
	want := "incomplete closure: /nix/store/00000000000000000000000000000009-x is not in the closure"
	if _, err := c.Sub("/nix/store/00000000000000000000000000000009-x"); err == nil || err.Error() != want {
		t.Errorf("Sub of a path outside: %v, want %q", err, want)
	}
}

// TestSubIsNewClosure checks, on random graphs, that Sub, which reuses the
// closure's order and references, gives what NewClosure gives from the
// sub-closure's paths alone.
func TestSubIsNewClosure(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := 1 + rng.IntN(40)
		var infos []PathInfo
		for i := range n {
			var refs []string
			// References only to paths made earlier keep the graph
			// acyclic; some paths refer to themselves, as Nix's do.
			for j := range i {
				if rng.IntN(4) == 0 {
					refs = append(refs, fmt.Sprintf("p%02d", j))
				}
			}
			if rng.IntN(5) == 0 {
				refs = append(refs, fmt.Sprintf("p%02d", i))
			}
			// Names in a random order, so that the order made does not
			// follow the sorted one.
			infos = append(infos, pi(fmt.Sprintf("p%02d", i), int64(rng.IntN(100)), refs...))
		}
		rename := rng.Perm(n)
		for i := range infos {
			infos[i].Path = strings.Replace(infos[i].Path, "-p", fmt.Sprintf("-%02d-p", rename[i]), 1)
		}
		byName := map[string]string{}
		for i := range infos {
			byName[sp(fmt.Sprintf("p%02d", i))] = infos[i].Path
		}
		for i := range infos {
			for k, r := range infos[i].References {
				infos[i].References[k] = byName[r]
			}
		}
		c, err := NewClosure(infos)
		if err != nil {
			t.Fatal(err)
		}
		var roots []string
		for _, info := range infos {
			if rng.IntN(6) == 0 {
				roots = append(roots, info.Path)
			}
		}
		sub, err := c.Sub(roots...)
		if err != nil {
			t.Fatal(err)
		}
		var subInfos []PathInfo
		for _, p := range sub.Paths() {
			info, _ := c.Lookup(p)
			subInfos = append(subInfos, info)
		}
		want, err := NewClosure(subInfos)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(describe(want), describe(sub), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round %d, roots %v: Sub (-NewClosure +Sub):\n%s", round, roots, diff)
		}
	}
}

// describe gives everything a closure's methods tell.
func describe(c *Closure) map[string]any {
	d := map[string]any{"paths": c.Paths(), "topo": c.TopoSort(), "roots": c.Roots(), "total": c.Total()}
	for _, p := range c.Paths() {
		info, _ := c.Lookup(p)
		d["info "+p] = info
		d["refs "+p] = c.References(p)
		d["referrers "+p] = c.Referrers(p)
	}
	return d
}
