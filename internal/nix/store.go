package nix

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Root is the directory on this machine under which a store's /nix/store
// lives: "/" for the default store, or the root of a chroot store such as
// "/tmp/x/root". The store's paths are the same either way; only where
// their files are on disk differs. It is the one place that maps a store
// path to a file: the layer builder, the customisation layer and the
// pipeline all go through it.
type Root string

// Root returns the root of the driver's store: the root of a local chroot
// store given as "/dir/root" or "local?root=/dir/root", or "/" for any
// other store (the default one, "daemon", "ssh://host").
func (d *Driver) Root() Root {
	s := d.Store
	switch {
	case strings.HasPrefix(s, "/"):
		s, _, _ = strings.Cut(s, "?")
		return Root(path.Clean(s))
	case strings.HasPrefix(s, "local?"), strings.HasPrefix(s, "local://?"):
		_, query, _ := strings.Cut(s, "?")
		params, err := url.ParseQuery(query)
		if root := params.Get("root"); err == nil && strings.HasPrefix(root, "/") {
			return Root(path.Clean(root))
		}
	}
	return "/"
}

// Dir returns the root directory, "/" for the default store.
func (r Root) Dir() string {
	if r == "" {
		return "/"
	}
	return string(r)
}

// IsDefault reports whether the root is "/", where the default store is.
func (r Root) IsDefault() bool { return r.Dir() == "/" }

// Path returns where the store path (or a path inside one) p lies on
// disk.
func (r Root) Path(p string) string {
	if r.IsDefault() {
		return filepath.FromSlash(p)
	}
	return filepath.Join(r.Dir(), filepath.FromSlash(p))
}

// FS returns the store root as a file system whose names are store paths
// without their leading slash, such as "nix/store/<hash>-bash/bin/bash".
// Unlike os.DirFS, it resolves symbolic links inside the root: a link to
// "/nix/store/<hash>-gcc/lib/libstdc++.so.6.0.30", which Nix writes in
// every package, leads to that file under the root, not on the host.
func (r Root) FS() fs.FS { return rootFS{root: r.Dir()} }

// maxLinks is how many symbolic links a name may pass through, as Linux
// allows.
const maxLinks = 40

// rootFS is the fs.FS of Root.FS.
type rootFS struct{ root string }

// resolve returns the host path of name after following every symbolic
// link in it, the way the kernel would if root were "/".
func (f rootFS) resolve(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	var done []string                // resolved components, relative to the root
	todo := strings.Split(name, "/") // components still to walk
	if name == "." {
		todo = nil
	}
	for links := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		host := filepath.Join(f.root, filepath.Join(done...), c)
		fi, err := os.Lstat(host)
		if err != nil {
			return "", &fs.PathError{Op: op, Path: name, Err: unwrapPathError(err)}
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", &fs.PathError{Op: op, Path: name, Err: errors.New("too many levels of symbolic links")}
		}
		target, err := os.Readlink(host)
		if err != nil {
			return "", &fs.PathError{Op: op, Path: name, Err: unwrapPathError(err)}
		}
		if path.IsAbs(target) {
			done = nil
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return filepath.Join(f.root, filepath.Join(done...)), nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (f rootFS) Open(name string) (fs.File, error) {
	host, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	return os.Open(host)
}

func (f rootFS) Stat(name string) (fs.FileInfo, error) {
	host, err := f.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(host)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: unwrapPathError(err)}
	}
	return fi, nil
}

func (f rootFS) ReadFile(name string) ([]byte, error) {
	host, err := f.resolve("read", name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(host)
}

func (f rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	host, err := f.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	return os.ReadDir(host)
}

// HostPath returns the file on this machine that name in fsys (a Root's
// FS) stands for, after following its symbolic links inside the root, for
// callers that copy the file later, such as the customisation layer's
// setuid sudo.
func HostPath(fsys fs.FS, name string) (string, error) {
	f, ok := fsys.(rootFS)
	if !ok {
		return "", fmt.Errorf("resolving %s: not a store root's file system", name)
	}
	return f.resolve("resolve", name)
}
