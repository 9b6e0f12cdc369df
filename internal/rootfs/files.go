package rootfs

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"

	"github.com/nixlayer/nixlayer/internal/devcontainer"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/sbom"
)

// Users of each kind, with uid and gid 1000.
var (
	VSCode = User{Name: devcontainer.RemoteUser, UID: 1000, Home: "/home/" + devcontainer.RemoteUser, Shell: "/bin/bash"}
	App    = User{Name: "app", UID: 1000, Home: "/app", Shell: "/bin/sh"}
)

// tree collects the files of the layer by path; a later add of the same
// path replaces the earlier one.
type tree map[string]image.File

func (t tree) dir(p string, mode fs.FileMode, uid int) {
	t[p] = image.File{Path: p, Mode: fs.ModeDir | mode, Uid: uid, Gid: uid}
}

func (t tree) file(p string, mode fs.FileMode, uid int, data string) {
	t[p] = image.File{Path: p, Mode: mode, Uid: uid, Gid: uid, Data: []byte(data)}
}

func (t tree) link(p, target string) {
	t[p] = image.File{Path: p, Mode: fs.ModeSymlink | 0o777, Link: target}
}

func (t tree) sorted() []image.File {
	var out []image.File
	for _, p := range slices.Sorted(maps.Keys(t)) {
		out = append(out, t[p])
	}
	return out
}

// Files returns the customisation layer of the image that in describes,
// sorted by path.
func Files(in Input) ([]image.File, error) {
	t := tree{}
	t.dir("/tmp", fs.ModeSticky|0o777, 0)
	t.dir("/root", 0o700, 0)
	t.file("/etc/nsswitch.conf", 0o644, 0, "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n")
	t.file("/etc/hosts", 0o644, 0, "127.0.0.1 localhost\n::1 localhost\n")
	t.file("/etc/os-release", 0o644, 0, osRelease(&in))
	if in.SBOM != nil {
		t.file(sbom.Path, 0o644, 0, string(in.SBOM))
	}
	if err := profile(t, &in); err != nil {
		return nil, err
	}
	if bash := in.out("bashInteractive"); bash != "" {
		t.link("/bin/sh", bash+"/bin/bash")
		t.link("/bin/bash", bash+"/bin/bash")
	}
	if c := in.out("cacert"); c != "" && in.baseCerts() == "" {
		for _, p := range certPaths {
			t.link(p, c+"/etc/ssl/certs/ca-bundle.crt")
		}
	}
	javaFiles(t, &in)
	var err error
	switch in.Kind {
	case kind.Devcontainer:
		err = devcontainerFiles(t, &in)
	case kind.Runtime:
		err = runtime(t, &in)
	default:
		err = fmt.Errorf("unknown image kind %q", in.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("customising the %s image: %w", in.Kind, err)
	}
	if in.Base != nil {
		files, err := in.onBase(t)
		if err != nil {
			return nil, fmt.Errorf("customising the %s image on its base: %w", in.Kind, err)
		}
		return files, nil
	}
	return t.sorted(), nil
}

// profile links every program of the packages into the bin and sbin
// directories of binDirs, the first package's when two share a name.
func profile(t tree, in *Input) error {
	for i, dir := range []string{"bin", "sbin"} {
		for _, p := range in.Packages {
			entries, err := fs.ReadDir(in.fs(), rel(p.Out)+"/"+dir)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return fmt.Errorf("listing the programs of %s: %w", p.Attr, err)
			}
			for _, e := range entries {
				link := path.Join(in.binDirs()[i], e.Name())
				if _, taken := t[link]; !taken {
					t.link(link, path.Join(p.Out, dir, e.Name()))
				}
			}
		}
	}
	return nil
}

func runtime(t tree, in *Input) error {
	if err := in.addUsers(t, App, "/bin/sh"); err != nil {
		return err
	}
	t.dir("/app", 0o755, App.UID)
	for _, f := range t {
		if f.Mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
			return fmt.Errorf("%s is setuid or setgid, which a runtime image must not hold", f.Path)
		}
	}
	return nil
}
