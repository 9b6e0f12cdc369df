package flake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Request is what one run asks of the flake.
type Request struct {
	// System is the Nix system to evaluate for, such as "x86_64-linux".
	System string
	// Attrs are the attribute paths to plan and build, with their origins.
	Attrs []sets.Attr
	// Sets are the names of the selected sets; an Attr whose Origin is one
	// of them is reported as coming from that set.
	Sets []string
	// Overlays are the project's overlay files, applied in order after
	// nixlayer's own. The directory of each is copied with it, so an overlay
	// can refer to patches and files beside it.
	Overlays []string
	// Epoch is the time, in seconds since 1970, that the registration
	// database records for every path (see RegistrationInstallable). Zero
	// means 1, as Nix uses for store files.
	Epoch int64
	// Lenient asks for a plan that no attribute fails: one that nixpkgs
	// lacks, that is not a package or whose out path cannot be evaluated
	// is listed in the plan's Missing, NotPackages or Failing instead of
	// being an error. It is for comparing two pins, whose attributes
	// differ.
	Lenient bool
	// Shells, when set, are the dev shells of the flake's devShells, by
	// name, each with its attribute paths (see ShellInstallable).
	Shells map[string][]string
}

// Work is a prepared work directory: a copy of the flake with a request.
type Work struct {
	// Dir is the work directory.
	Dir string
	req Request
}

// request is request.json, as flake.nix reads it.
type request struct {
	Attrs    []string            `json:"attrs"`
	Overlays []string            `json:"overlays"`
	Epoch    int64               `json:"epoch"`
	Lenient  bool                `json:"lenient,omitempty"`
	Shells   map[string][]string `json:"shells,omitempty"`
}

// DefaultSystem is the Nix system of the machine nixlayer runs on.
func DefaultSystem() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return arch + "-linux"
}

// Layout is what a request adds to the copy of the flake: request.json,
// and the project's overlay directories.
type Layout struct {
	// RequestJSON is the content of request.json.
	RequestJSON []byte
	// Overlays are the directories to copy, in request order.
	Overlays []OverlayDir
}

// OverlayDir is one project overlay directory and where it goes.
type OverlayDir struct {
	// Src is the directory that holds the overlay file on the host.
	Src string
	// Dst is its place in the work directory, such as "project/0".
	Dst string
}

// RequestFile is the name of the request in the work directory.
const RequestFile = "request.json"

// NewLayout checks req and lays it out. It does no I/O.
func NewLayout(req Request) (*Layout, error) {
	if len(req.Attrs) == 0 {
		return nil, fmt.Errorf("preparing the flake: no attributes requested")
	}
	epoch := req.Epoch
	if epoch == 0 {
		epoch = 1
	}
	r := request{Attrs: make([]string, len(req.Attrs)), Overlays: []string{}, Epoch: epoch, Lenient: req.Lenient}
	for i, a := range req.Attrs {
		if err := sets.ValidAttrPath(a.Path); err != nil {
			return nil, fmt.Errorf("preparing the flake: %w", err)
		}
		r.Attrs[i] = a.Path
	}
	for name, attrs := range req.Shells {
		if err := sets.ValidAttrPath(name); err != nil || strings.Contains(name, ".") {
			return nil, fmt.Errorf("preparing the flake: dev shell name %q is not a Nix attribute name", name)
		}
		for _, a := range attrs {
			if err := sets.ValidAttrPath(a); err != nil {
				return nil, fmt.Errorf("preparing the flake: dev shell %s: %w", name, err)
			}
		}
	}
	r.Shells = req.Shells
	l := &Layout{}
	for i, o := range req.Overlays {
		dst := path.Join("project", strconv.Itoa(i))
		l.Overlays = append(l.Overlays, OverlayDir{Src: filepath.Dir(o), Dst: dst})
		r.Overlays = append(r.Overlays, path.Join(dst, filepath.Base(o)))
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the request: %w", err)
	}
	l.RequestJSON = append(data, '\n')
	return l, nil
}

// Prepare writes the flake from src, the request, and the project's overlay
// directories into dir, which must exist and be empty.
func Prepare(dir string, src fs.FS, req Request) (*Work, error) {
	if req.System == "" {
		req.System = DefaultSystem()
	}
	l, err := NewLayout(req)
	if err != nil {
		return nil, err
	}
	if err := os.CopyFS(dir, src); err != nil {
		return nil, fmt.Errorf("copying the flake into %s: %w", dir, err)
	}
	for _, o := range l.Overlays {
		if err := copyOverlayDir(filepath.Join(dir, filepath.FromSlash(o.Dst)), o.Src); err != nil {
			return nil, fmt.Errorf("copying overlay directory %s: %w", o.Src, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, RequestFile), l.RequestJSON, 0o644); err != nil {
		return nil, fmt.Errorf("writing the request: %w", err)
	}
	return &Work{Dir: dir, req: req}, nil
}

// SetRequest replaces the request of a prepared work directory, such as
// to set its Epoch once the lock is known. The overlays must not change.
func (w *Work) SetRequest(req Request) error {
	if req.System == "" {
		req.System = DefaultSystem()
	}
	if !slices.Equal(req.Overlays, w.req.Overlays) {
		return fmt.Errorf("preparing the flake: the overlays of a prepared request cannot change")
	}
	l, err := NewLayout(req)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(w.Dir, RequestFile), l.RequestJSON, 0o644); err != nil {
		return fmt.Errorf("writing the request: %w", err)
	}
	w.req = req
	return nil
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Ref is the flake reference of the work directory.
func (w *Work) Ref() string { return "path:" + w.Dir }

// LockArgs are the arguments of "nix flake lock" that write flakeArgs
// (such as --override-input nixpkgs path:…) into the lock of the work
// directory at ref. The evaluation and build that follow then need no
// flags: the lock names exactly what was built, and Nix does not warn, on
// every command, that it leaves the lock of an overridden input unwritten.
func LockArgs(ref string, flakeArgs []string) []string {
	return slices.Concat([]string{"flake", "lock"}, flakeArgs, []string{"--", ref})
}

// PrepareLocked makes the work directory dir, prepares it (see Prepare)
// and locks it (see Work.Lock): the driver it returns plans and builds
// the work directory.
func PrepareLocked(ctx context.Context, d *nix.Driver, dir string, src fs.FS, req Request) (*Work, *nix.Driver, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("making a work directory: %w", err)
	}
	w, err := Prepare(dir, src, req)
	if err != nil {
		return nil, nil, err
	}
	locked, err := w.Lock(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	return w, locked, nil
}

// Lock writes the driver's FlakeArgs into the work directory's lock (see
// LockArgs) and returns a copy of the driver without them, for the
// evaluation and build that follow.
func (w *Work) Lock(ctx context.Context, d *nix.Driver) (*nix.Driver, error) {
	locked := *d
	locked.FlakeArgs = nil
	if len(d.FlakeArgs) == 0 {
		return &locked, nil
	}
	// Quiet: Nix warns that it updates the lock of nixlayer's own
	// temporary flake, which is what it is asked to do; an error still
	// says why.
	quiet := locked
	quiet.Progress = nil
	if _, err := quiet.Run(ctx, LockArgs(w.Ref(), d.FlakeArgs)...); err != nil {
		if ce, ok := errors.AsType[*nix.CommandError](err); ok {
			if host, reason, ok := ce.Unreachable(); ok {
				return nil, &nix.UnreachableError{Doing: "locking the flake's nixpkgs", Host: host, Reason: reason, Err: ce}
			}
		}
		return nil, fmt.Errorf("locking the flake with %v: %w", d.FlakeArgs, err)
	}
	return &locked, nil
}
