// Package selection turns what a user asks for (a set spec, extra
// packages and a project file) into the flake request that builds it. It
// is the first step of every command, in the CLI and in the Dagger
// module, and it is light: the module's root package imports it to check
// input before any container runs.
//
//	sel, req, err := selection.Select("base,python", []string{"htop"}, project, "x86_64-linux")
//	// sel.Sets == [base python]; req.Attrs == bashInteractive … python312 htop
package selection

import (
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// PackagesOrigin is the origin given to attributes from --packages.
const PackagesOrigin = "--packages"

// Catalog is the built-in catalog with the project's sets, if any.
func Catalog(project *sets.Project) (sets.Catalog, error) {
	c := sets.Builtin()
	if project == nil {
		return c, nil
	}
	return c.With(project.Sets...)
}

// Select composes spec and the extra packages with the project (which may
// be nil) into a selection, and the flake request that builds it for
// system.
func Select(spec string, packages []string, project *sets.Project, system string) (sets.Selection, flake.Request, error) {
	c, err := Catalog(project)
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	var extra []sets.Attr
	if project != nil {
		extra = append(extra, project.Packages...)
	}
	for _, p := range packages {
		extra = append(extra, sets.Attr{Path: p, Origin: PackagesOrigin})
	}
	sel, err := c.Compose(spec, extra)
	if err != nil {
		return sets.Selection{}, flake.Request{}, err
	}
	req := flake.Request{System: system, Attrs: sel.Attrs, Sets: sel.Sets}
	if project != nil {
		for _, o := range project.Overlays {
			req.Overlays = append(req.Overlays, o.Path)
		}
	}
	return sel, req, nil
}
