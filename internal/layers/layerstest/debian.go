package layerstest

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// debianCatalog is the catalog that testdata/debian/regen.go made from
// Debian 12's package indices.
//
//go:embed testdata/debian/catalog.json
var debianCatalog []byte

// Debian returns a catalog of real size, with the built-in sets and the
// extras of [ExtrasFor]: the catalog attributes mapped to the Debian 12
// packages that ship the same programs, with their runtime closures and
// sizes as apt states them, and a stated size for each program Debian
// lacks (testdata/debian/regen.go writes the map down and made the
// catalog). Unlike [Synthetic] and the test universe, its groups outgrow
// smaller layer budgets: it has large paths (the Go toolchain, the JRE,
// Rust's standard library, LLVM) and many small ones (Java and node
// libraries).
func Debian() Fixture {
	var c layers.Catalog
	if err := json.Unmarshal(debianCatalog, &c); err != nil {
		panic(fmt.Sprintf("reading the Debian catalog: %v", err))
	}
	return Fixture{Catalog: c, Sets: BuiltinSets(), Extras: ExtrasFor(c)}
}
