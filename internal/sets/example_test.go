package sets_test

import (
	"errors"
	"fmt"

	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func ExampleCatalog_Compose() {
	sel, err := sets.Builtin().Compose("python, base, python", []sets.Attr{
		{Path: "htop", Origin: "--packages"},
		{Path: "coreutils", Origin: "--packages"}, // already in base
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sel.Sets)
	for _, a := range sel.Attrs {
		fmt.Printf("%s (%s)\n", a.Path, a.Origin)
	}
	fmt.Println(sel.Extensions)
	// Output:
	// [base python]
	// bashInteractive (base)
	// coreutils (base)
	// findutils (base)
	// gnugrep (base)
	// gnused (base)
	// cacert (base)
	// tzdata (base)
	// python312 (python)
	// htop (--packages)
	// [ms-python.python ms-python.vscode-pylance ms-python.debugpy charliermarsh.ruff]
}

func ExampleCatalog_Compose_unknownSet() {
	_, err := sets.Builtin().Compose("base,pyhton", nil)
	fmt.Println(err)
	var unknown *sets.UnknownSetError
	fmt.Println(errors.As(err, &unknown), errors.Is(err, usererr.ErrBadInput))
	// Output:
	// unknown set "pyhton" (did you mean "python"?); known sets: base, vscodeCompat, devTools, nixTools, python, pythonDev, node, nodeDev, go, goDev, rust, rustDev, bash, java, javaDev, cobol, cobolDev
	// true true
}

func ExampleParseProject() {
	proj, err := sets.ParseProject("nixlayer.yaml", []byte(`
sets:
  dataTools:
    description: Tools the data team uses.
    attrs: [duckdb, python312Packages.pandas]
packages: [htop]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	catalog, err := sets.Builtin().With(proj.Sets...)
	if err != nil {
		fmt.Println(err)
		return
	}
	sel, err := catalog.Compose("dataTools,python", proj.Packages)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sel.Attrs)

	_, err = sets.ParseProject("nixlayer.yaml", []byte("sets:\n  python:\n    attrs: [python311]\n"))
	fmt.Println(err)
	// Output:
	// [{python312 python} {duckdb dataTools} {python312Packages.pandas dataTools} {htop nixlayer.yaml packages}]
	// nixlayer.yaml:2: set "python" is built in; choose another name
}
