package sets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// DefaultProjectFile is the name of the project file nixlayer looks for.
const DefaultProjectFile = "nixlayer.yaml"

// Project is a decoded project file. See the package documentation for the
// file format.
type Project struct {
	// Path is the file's name as given to ParseProject or LoadProject.
	Path string `json:"path"`
	// Sets are the custom sets in file order, each with Source set to
	// Path. Add them to a catalog with Catalog.With.
	Sets []Set `json:"sets,omitempty"`
	// Packages are extra attributes for every build, with Origin
	// "<Path> packages".
	Packages []Attr `json:"packages,omitempty"`
	// Overlays are the Nix overlay files in file order.
	Overlays []Overlay `json:"overlays,omitempty"`
}

// Overlay is a Nix overlay file named in a project file.
type Overlay struct {
	// Path is the path as written in the file (ParseProject) or resolved
	// to an absolute path (LoadProject).
	Path string `json:"path"`
	// Line is the line of the file that names the overlay.
	Line int `json:"line"`
}

var (
	topLevel = "the top level"
	topKeys  = []string{"sets", "packages", "overlays"}
	setKeys  = []string{"description", "attrs", "extensions", "settings"}
)

// ParseProject decodes the project file data, using name in errors and as
// the custom sets' Source. It does not touch the file system, so overlay
// paths are left as written. Empty data is a valid, empty project. Every
// error is a *ProjectError that reads "name:LINE: problem".
func ParseProject(name string, data []byte) (*Project, error) {
	p := &nodeParser{file: name}
	proj := &Project{Path: name}
	root, err := p.document(data)
	if err != nil || root == nil {
		if err != nil {
			return nil, err
		}
		return proj, nil
	}
	top, err := p.fields(root, topLevel, topKeys...)
	if err != nil {
		return nil, err
	}
	for _, kv := range top {
		switch kv.key {
		case "sets":
			proj.Sets, err = p.sets(kv.v)
		case "packages":
			proj.Packages, err = p.packages(kv.v, name+" packages")
		case "overlays":
			proj.Overlays, err = p.overlays(kv.v)
		}
		if err != nil {
			return nil, err
		}
	}
	return proj, nil
}

// sets decodes the "sets" mapping.
func (p *nodeParser) sets(n *yaml.Node) ([]Set, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, "sets must be a mapping from set names to sets, not %s", describe(n))
	}
	pairs, err := p.pairs(n, "sets")
	if err != nil {
		return nil, err
	}
	builtin := Builtin().Names()
	defined := make(map[string]pair) // by lower-case name
	var out []Set
	for _, kv := range pairs {
		name := kv.key
		if reason := setNameProblem(name); reason != "" {
			return nil, p.errf(kv.k, "invalid set name %q: %s", name, reason)
		}
		for _, b := range builtin {
			if b == name {
				return nil, p.errf(kv.k, "set %q is built in; choose another name", name)
			}
			if strings.EqualFold(b, name) {
				return nil, p.errf(kv.k, "set %q differs from the built-in set %q only in case; choose another name", name, b)
			}
		}
		if prev, ok := defined[strings.ToLower(name)]; ok {
			if prev.key == name {
				return nil, p.errf(kv.k, "set %q is defined twice (first on line %d)", name, prev.k.Line)
			}
			return nil, p.errf(kv.k, "set %q differs from set %q (line %d) only in case; choose another name", name, prev.key, prev.k.Line)
		}
		defined[strings.ToLower(name)] = kv
		s, err := p.set(kv)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// set decodes one set definition.
func (p *nodeParser) set(kv pair) (Set, error) {
	s := Set{Name: kv.key, Source: p.file}
	where := "sets." + kv.key
	if isNull(kv.v) {
		return Set{}, p.errf(kv.k, "set %q has no attrs; a set needs at least one attribute", kv.key)
	}
	fields, err := p.fields(kv.v, where, setKeys...)
	if err != nil {
		return Set{}, err
	}
	hasAttrs := false
	for _, f := range fields {
		where := where + "." + f.key
		switch f.key {
		case "description":
			s.Description, err = p.str(f.v, where)
		case "attrs":
			hasAttrs = true
			s.Attrs, err = p.attrs(f.v, where)
			if err == nil && len(s.Attrs) == 0 {
				err = p.errf(f.v, "%s is empty; a set needs at least one attribute", where)
			}
		case "extensions":
			s.Extensions, err = p.extensions(f.v, where)
		case "settings":
			s.Settings, err = p.settings(f.v, where)
		}
		if err != nil {
			return Set{}, err
		}
	}
	if !hasAttrs {
		return Set{}, p.errf(kv.k, "set %q has no attrs; a set needs at least one attribute", kv.key)
	}
	return s, nil
}

// attrs decodes a list of attribute paths.
func (p *nodeParser) attrs(n *yaml.Node, where string) ([]string, error) {
	return p.uniqueList(n, where, func(item *yaml.Node) error {
		if reason := attrPathProblem(item.Value); reason != "" {
			return p.errf(item, "%s: invalid attribute path %q: %s", where, item.Value, reason)
		}
		return nil
	})
}

// extensions decodes a list of VS Code extension IDs.
func (p *nodeParser) extensions(n *yaml.Node, where string) ([]string, error) {
	return p.uniqueList(n, where, func(item *yaml.Node) error {
		if reason := extensionProblem(item.Value); reason != "" {
			return p.errf(item, "%s: invalid extension ID %q: %s", where, item.Value, reason)
		}
		return nil
	})
}

// settings decodes a mapping of VS Code settings.
func (p *nodeParser) settings(n *yaml.Node, where string) (map[string]any, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, "%s must be a mapping from setting names to values, not %s", where, describe(n))
	}
	v, err := p.jsonValue(n, where)
	if err != nil {
		return nil, err
	}
	m := v.(map[string]any)
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// packages decodes the "packages" list.
func (p *nodeParser) packages(n *yaml.Node, origin string) ([]Attr, error) {
	paths, err := p.attrs(n, "packages")
	if err != nil {
		return nil, err
	}
	var out []Attr
	for _, path := range paths {
		out = append(out, Attr{Path: path, Origin: origin})
	}
	return out, nil
}

// overlays decodes the "overlays" list.
func (p *nodeParser) overlays(n *yaml.Node) ([]Overlay, error) {
	var out []Overlay
	_, err := p.uniqueList(n, "overlays", func(item *yaml.Node) error {
		switch {
		case item.Value == "":
			return p.errf(item, "overlays: overlay path is empty")
		case !strings.HasSuffix(item.Value, ".nix"):
			return p.errf(item, "overlays: overlay %q is not a .nix file", item.Value)
		}
		out = append(out, Overlay{Path: item.Value, Line: max(item.Line, 1)})
		return nil
	})
	return out, err
}

// uniqueList decodes a list of strings, checking each with check and
// rejecting repeats.
func (p *nodeParser) uniqueList(n *yaml.Node, where string, check func(*yaml.Node) error) ([]string, error) {
	items, err := p.strList(n, where)
	if err != nil {
		return nil, err
	}
	var out []string
	first := make(map[string]int)
	for _, item := range items {
		if err := check(item); err != nil {
			return nil, err
		}
		if line, ok := first[item.Value]; ok {
			return nil, p.errf(item, "%s: %q is listed twice (first on line %d)", where, item.Value, line)
		}
		first[item.Value] = max(item.Line, 1)
		out = append(out, item.Value)
	}
	return out, nil
}

// LoadProject reads and decodes the project file at path. Relative overlay
// paths are resolved against the file's directory, and every overlay must
// be an existing regular file (after following symbolic links).
//
// An error reading the file wraps the error from the os package; when the
// file does not exist, the error also wraps usererr.ErrBadInput, since the path
// came from the user. Problems in the file's content are *ProjectError
// values.
func LoadProject(path string) (*Project, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usererr.Errorf("loading project file: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("loading project file: %w", err)
	}
	proj, err := ParseProject(path, data)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("loading project file %s: resolving its directory: %w", path, err)
	}
	for i := range proj.Overlays {
		o := &proj.Overlays[i]
		abs := o.Path
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, abs)
		}
		fi, err := os.Stat(abs)
		var msg string
		switch {
		case errors.Is(err, fs.ErrNotExist):
			msg = fmt.Sprintf("overlays: overlay %q does not exist (looked for %s)", o.Path, abs)
		case err != nil:
			msg = fmt.Sprintf("overlays: checking overlay %q: %v", o.Path, err)
		case !fi.Mode().IsRegular():
			msg = fmt.Sprintf("overlays: overlay %q is not a regular file (%s)", o.Path, abs)
		default:
			o.Path = abs
			continue
		}
		return nil, &ProjectError{File: path, Line: o.Line, Msg: msg, Err: err}
	}
	return proj, nil
}
