package container

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/sets"
)

// Overlays returns the paths of a project's overlays inside the project
// directory, for the project file at projectFile (a path in that
// directory). Like sets.LoadProject, it resolves a relative overlay path
// against the project file's directory. An overlay must be inside the
// project directory, since that is all the container gets: an absolute
// path, or one that leads out of the directory, is a *sets.ProjectError.
func Overlays(projectFile string, overlays []sets.Overlay) ([]string, error) {
	dir := path.Dir(strings.TrimPrefix(path.Clean(projectFile), "/"))
	var out []string
	for _, o := range overlays {
		if path.IsAbs(o.Path) {
			return nil, overlayError(projectFile, o, "overlays: overlay %q is an absolute path; give it relative to %s, inside the project directory", o.Path, projectFile)
		}
		p := path.Join(dir, o.Path)
		if p == ".." || strings.HasPrefix(p, "../") {
			return nil, overlayError(projectFile, o, "overlays: overlay %q is outside the project directory", o.Path)
		}
		out = append(out, p)
	}
	return out, nil
}

// MissingOverlay is the error for an overlay whose file, at p in the
// project directory, does not exist or is not a regular file.
func MissingOverlay(projectFile string, o sets.Overlay, p string) error {
	return overlayError(projectFile, o, "overlays: overlay %q is not a file in the project directory (looked for %s)", o.Path, p)
}

func overlayError(projectFile string, o sets.Overlay, format string, args ...any) error {
	return &sets.ProjectError{File: projectFile, Line: o.Line, Msg: fmt.Sprintf(format, args...)}
}

// OverlayDirs returns the directories in the project directory that hold
// overlays, the paths Overlays returned, in order and without repeats: the
// helper takes each overlay with the files beside it.
func OverlayDirs(overlays []string) []string {
	var dirs []string
	for _, p := range overlays {
		if d := path.Dir(p); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}
