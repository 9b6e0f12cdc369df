package layers_test

import (
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

const mib = 1 << 20

// storePath returns a made-up store path named name.
func storePath(name string) string { return "/nix/store/" + strings.Repeat("0", 32) + "-" + name }

// pathInfo returns the PathInfo of storePath(name), of size MiB, with the
// given references.
func pathInfo(name string, size int64, refs ...string) nix.PathInfo {
	info := nix.PathInfo{Path: storePath(name), NarHash: "sha256-" + name, NarSize: size * mib, References: []string{}}
	for _, r := range refs {
		info.References = append(info.References, storePath(r))
	}
	return info
}

// names returns the names of store paths made by storePath.
func names(paths []string) string {
	var out []string
	for _, p := range paths {
		out = append(out, p[strings.Index(p, "-")+1:])
	}
	return strings.Join(out, " ")
}

// exampleCatalog is the catalog of the package documentation.
func exampleCatalog() layers.Catalog {
	graph, err := nix.NewClosure([]nix.PathInfo{
		pathInfo("glibc", 30),
		pathInfo("openssl", 7, "glibc"),
		pathInfo("curl-lib", 1, "openssl"),
		pathInfo("curl", 1, "curl-lib"),
		pathInfo("perl", 55, "glibc"),
		pathInfo("git", 50, "curl-lib", "perl", "python3"),
		pathInfo("libffi", 1, "glibc"),
		pathInfo("python3", 100, "openssl", "libffi"),
		pathInfo("oniguruma", 1, "glibc"),
		pathInfo("jq", 1, "oniguruma"),
	})
	if err != nil {
		panic(err)
	}
	return layers.Catalog{
		Roots: map[string]string{
			"curl": storePath("curl"), "git": storePath("git"),
			"jq": storePath("jq"), "python312": storePath("python3"),
		},
		Graph: graph,
	}
}

// exampleSets are the sets of the package documentation: images take
// curl, git and jq together, or python312.
var exampleSets = []layers.Set{
	{Name: "tools", Attrs: []string{"curl", "git", "jq"}},
	{Name: "python", Attrs: []string{"python312"}},
}

// exampleImage is the image of the package documentation: jq, python312
// and an application outside the catalog.
func exampleImage(c layers.Catalog) layers.Image {
	var infos []nix.PathInfo
	for _, p := range []string{"glibc", "openssl", "libffi", "python3", "oniguruma", "jq", "curl-lib"} {
		info, _ := c.Graph.Lookup(storePath(p))
		infos = append(infos, info)
	}
	infos = append(infos,
		pathInfo("app", 5, "app-data", "curl-lib", "glibc"),
		pathInfo("app-data", 80))
	graph, err := nix.NewClosure(infos)
	if err != nil {
		panic(err)
	}
	return layers.Image{
		Roots: map[string]string{"jq": storePath("jq"), "python312": storePath("python3"), "app": storePath("app")},
		Graph: graph,
	}
}

func Example() {
	catalog := exampleCatalog()
	part, err := layers.Partition(catalog, layers.Budget{Reserved: 1}, exampleSets...)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("groups:", part.Groups, "blocks:", len(part.Blocks))
	for _, b := range part.Blocks {
		fmt.Printf("  %-26s %3d MiB  %s\n", names(b.Paths), b.Size/mib, b.Attrs)
	}

	plan, err := layers.Plan(exampleImage(catalog), part, layers.Budget{Reserved: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("layers:", len(plan.Layers), "bloat:", plan.Bloat)
	for _, l := range plan.Layers {
		fmt.Printf("  %-8s %-26s %3d MiB  %s\n", l.Kind, names(l.Paths), l.Size/mib, l.Attrs)
	}
	// Output:
	// groups: 8 blocks: 8
	//   glibc                       30 MiB  [curl git jq python312]
	//   openssl                      7 MiB  [curl git python312]
	//   curl-lib                     1 MiB  [curl git]
	//   python3                    100 MiB  [git python312]
	//   libffi                       1 MiB  [git python312]
	//   git perl                   105 MiB  [git]
	//   jq oniguruma                 2 MiB  [jq]
	//   curl                         1 MiB  [curl]
	// layers: 8 bloat: 0
	//   catalog  glibc                       30 MiB  [curl git jq python312]
	//   catalog  openssl                      7 MiB  [curl git python312]
	//   catalog  python3                    100 MiB  [git python312]
	//   catalog  libffi                       1 MiB  [git python312]
	//   catalog  jq oniguruma                 2 MiB  [jq]
	//   partial  curl-lib                     1 MiB  [app]
	//   extra    app                          5 MiB  [app]
	//   extra    app-data                    80 MiB  [app]
}

func Example_budget() {
	catalog := exampleCatalog()
	part, err := layers.Partition(catalog, layers.Budget{MaxLayers: 7, Reserved: 1}, exampleSets...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range part.Merges {
		fmt.Printf("merge %d MiB %s + %d MiB %s: cost %d by sets, %d by attributes\n",
			m.FromSizes[0]/mib, m.FromAttrs[0], m.FromSizes[1]/mib, m.FromAttrs[1], m.Cost/mib, m.AttrCost/mib)
	}
	for _, b := range part.Blocks {
		fmt.Printf("  %-26s %3d MiB  %s\n", names(b.Paths), b.Size/mib, b.Attrs)
	}
	plan, err := layers.Plan(exampleImage(catalog), part, layers.Budget{MaxLayers: 7, Reserved: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("layers:", len(plan.Layers), "bloat:", plan.Bloat/mib, "MiB")
	for _, l := range plan.Layers {
		fmt.Printf("  %-8s %-26s %3d MiB  bloat %d MiB\n", l.Kind, names(l.Paths), l.Size/mib, l.Bloat/mib)
	}
	// Output:
	// merge 1 MiB [curl] + 1 MiB [curl git]: cost 0 by sets, 1 by attributes
	// merge 1 MiB [git python312] + 7 MiB [curl git python312]: cost 0 by sets, 1 by attributes
	// merge 2 MiB [curl git] + 2 MiB [jq]: cost 0 by sets, 6 by attributes
	//   glibc                       30 MiB  [curl git jq python312]
	//   libffi openssl               8 MiB  [curl git python312]
	//   curl curl-lib jq oniguruma   4 MiB  [curl git jq]
	//   python3                    100 MiB  [git python312]
	//   git perl                   105 MiB  [git]
	// layers: 6 bloat: 1 MiB
	//   catalog  glibc                       30 MiB  bloat 0 MiB
	//   catalog  libffi openssl               8 MiB  bloat 0 MiB
	//   catalog  curl curl-lib jq oniguruma   4 MiB  bloat 1 MiB
	//   catalog  python3                    100 MiB  bloat 0 MiB
	//   extra    app                          5 MiB  bloat 0 MiB
	//   extra    app-data                    80 MiB  bloat 0 MiB
}
