package rootfs

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// userFile is a file that lists the image's users or groups: the line a
// user adds to it, and whether its third field is an id (a uid or gid)
// that must be the user's alone.
type userFile struct {
	path string
	line func(User) string
	id   string // "uid", "gid", or "" for a file without ids
}

// userFiles are the files that list users and groups, in the order they
// are merged.
var userFiles = []userFile{
	{"/etc/passwd", passwdLine, "uid"},
	{"/etc/group", groupLine, "gid"},
	{"/etc/shadow", shadowLine, ""},
	{"/etc/gshadow", gshadowLine, ""},
}

// mergedFiles are the base's files that the customisation layer merges
// with its own: the users' and sudo's policy.
var mergedFiles = []string{"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", sudoersFile}

const sudoersFile = "/etc/sudoers"

// userOf is the user of each kind of image.
func userOf(k kind.Kind) User {
	if k == kind.Devcontainer {
		return VSCode
	}
	return App
}

// addUsers writes the files that list u. On scratch, /etc/passwd and
// /etc/group hold root (with rootShell), u and nobody, and a
// devcontainer's /etc/shadow too. On a base, each of the base's files
// that list users and groups keeps its lines, owner and mode and gains
// u's; a file the base lacks is written as on scratch, or not at all
// when scratch has none.
func (in *Input) addUsers(t tree, u User, rootShell string) error {
	scratch := map[string]image.File{
		"/etc/passwd": {Mode: 0o644, Data: []byte(passwd(rootShell, u))},
		"/etc/group":  {Mode: 0o644, Data: []byte(group(u))},
	}
	if in.Kind == kind.Devcontainer {
		scratch["/etc/shadow"] = image.File{Mode: 0o640, Data: []byte(shadow(u))}
	}
	for _, uf := range userFiles {
		if in.Base != nil {
			f, ok, err := in.Base.withUser(uf, u)
			if err != nil {
				return err
			}
			if ok {
				t[f.Path] = f
				continue
			}
		}
		if f, ok := scratch[uf.path]; ok {
			f.Path = uf.path
			t[uf.path] = f
		}
	}
	return nil
}

// withUser returns the base's file uf with u's line added, or ok false
// when the base has no such file. A line of the base with u's name, or
// with u's id in a file of ids, is an error that wraps usererr.ErrBadInput:
// two accounts would share a name or an id.
func (b *Base) withUser(uf userFile, u User) (f image.File, ok bool, err error) {
	bf, at, ok, err := b.content(uf.path)
	if err != nil || !ok {
		return image.File{}, false, err
	}
	id := strconv.Itoa(u.UID)
	for _, line := range strings.Split(string(bf.data), "\n") {
		fields := strings.Split(line, ":")
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case fields[0] == u.Name:
			return image.File{}, false, usererr.Errorf("the base image's %s already has %q, the account nixlayer adds; use a base without it", uf.path, u.Name)
		case uf.id != "" && len(fields) > 2 && fields[2] == id:
			return image.File{}, false, usererr.Errorf("the base image's %s gives %s %s to %q, and nixlayer gives it to %s; use a base without %q", uf.path, uf.id, id, fields[0], u.Name, fields[0])
		}
	}
	return image.File{Path: at, Mode: bf.mode, Uid: bf.uid, Gid: bf.gid, Data: appendLines(bf.data, uf.line(u))}, true, nil
}

// appendLines returns data with lines after it, on a line of their own.
func appendLines(data []byte, lines string) []byte {
	out := slices.Clone(data)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, lines...)
}

// CheckBase returns the error that customising an image of kind k on b
// would give for its user: the base has an account of the user's name or
// id. It wraps usererr.ErrBadInput, so that a base that cannot take the
// user is refused before anything is built.
func CheckBase(k kind.Kind, b *Base) error {
	in := Input{Kind: k, Base: b}
	if err := in.addUsers(tree{}, userOf(k), ""); err != nil {
		return fmt.Errorf("customising the %s image on its base: %w", k, err)
	}
	return nil
}

// ours reports whether nixlayer's entry at p replaces the base's on a
// base: the files that list users and sudo's policy (merged with the
// base's), the files that nixlayer's programs read at fixed paths
// (sudo's, Nix's) and sudo itself, and everything under /nix and the
// user's home. The base's entry wins everywhere else.
func (in *Input) ours(p string) bool {
	home := userOf(in.Kind).Home
	if p == "/nix" || strings.HasPrefix(p, "/nix/") || p == home || strings.HasPrefix(p, home+"/") {
		return true
	}
	for _, f := range []string{"/etc/sudo.conf", "/etc/pam.d/sudo", "/etc/nix/nix.conf", OwnNix, in.sudoPath()} {
		if p == f {
			return true
		}
	}
	for _, m := range mergedFiles {
		if at, err := in.Base.resolve(m, true); p == m || err == nil && p == at {
			return true
		}
	}
	return false
}

// onBase places the layer's files in the base's filesystem. Each goes
// where a program in the image finds it, through the base's links among
// its parents (/bin/sh is /usr/bin/sh where /bin links to usr/bin), and
// is left out where the base has an entry of its own, unless it is ours:
// nixlayer adds to the base and replaces only what it must. The base's
// directories that hold the files are repeated with their owners and
// modes, so that the layer changes none.
func (in *Input) onBase(t tree) ([]image.File, error) {
	b := in.Base
	out := tree{}
	for _, p := range slices.Sorted(maps.Keys(t)) {
		at, err := b.resolve(p, false)
		if err != nil {
			return nil, err
		}
		if _, taken := out[at]; taken {
			continue
		}
		if _, has := b.files[at]; has && !in.ours(p) {
			continue
		}
		f := t[p]
		f.Path = at
		out[at] = f
	}
	for _, p := range slices.Collect(maps.Keys(out)) {
		for dir := path.Dir(p); dir != "/"; dir = path.Dir(dir) {
			if _, ok := out[dir]; ok {
				continue
			}
			if bf, ok := b.files[dir]; ok && bf.mode.IsDir() {
				out[dir] = image.File{Path: dir, Mode: bf.mode & (fs.ModeDir | fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky), Uid: bf.uid, Gid: bf.gid}
			}
		}
	}
	return out.sorted(), nil
}
