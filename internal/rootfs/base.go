package rootfs

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Base is the image an image is built on, such as a certified
// distribution: what the customisation layer needs of its flattened
// filesystem, and its config. ReadBase makes it.
type Base struct {
	// Name is the reference the base was given by, for the
	// LabelBaseName label, or "".
	Name string
	// Digest is the base's manifest digest, for the LabelBaseDigest label.
	Digest string
	// Config is the base's config, which the image's keeps where nixlayer
	// sets nothing.
	Config v1.Config
	files  map[string]baseFile
}

// baseFile is an entry of the base's filesystem.
type baseFile struct {
	mode     fs.FileMode
	uid, gid int
	link     string // a symbolic link's target
	data     []byte // a kept file's content (see keepData)
}

// keepData reports whether ReadBase keeps the content of the file p: the
// small files of /etc, which hold the users and sudo's policy that the
// customisation merges with its own.
func keepData(p string, size int64) bool {
	return strings.HasPrefix(p, "/etc/") && size <= 1<<20
}

// ReadBase reads the base's flattened filesystem, as a tar stream such as
// go-containerregistry's mutate.Extract gives, with name, digest and
// config for the labels and the image config.
func ReadBase(r io.Reader, name, digest string, config v1.Config) (*Base, error) {
	b := &Base{Name: name, Digest: digest, Config: *config.DeepCopy(), files: map[string]baseFile{"/": {mode: fs.ModeDir | 0o755}}}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the base image's filesystem: %w", err)
		}
		p := path.Clean("/" + h.Name)
		f := baseFile{mode: fs.FileMode(h.Mode).Perm(), uid: h.Uid, gid: h.Gid}
		if h.Mode&0o4000 != 0 {
			f.mode |= fs.ModeSetuid
		}
		if h.Mode&0o2000 != 0 {
			f.mode |= fs.ModeSetgid
		}
		if h.Mode&0o1000 != 0 {
			f.mode |= fs.ModeSticky
		}
		switch h.Typeflag {
		case tar.TypeDir:
			f.mode |= fs.ModeDir
		case tar.TypeSymlink:
			f.mode, f.link = fs.ModeSymlink|0o777, h.Linkname
		case tar.TypeReg:
			if keepData(p, h.Size) {
				if f.data, err = io.ReadAll(tr); err != nil {
					return nil, fmt.Errorf("reading the base image's %s: %w", p, err)
				}
			}
		case tar.TypeLink:
			// A hard link is the file it links, under another name.
			target, ok := b.files[path.Clean("/"+h.Linkname)]
			if !ok {
				return nil, fmt.Errorf("reading the base image's filesystem: %s is a hard link to %s, which comes later or not at all", p, h.Linkname)
			}
			f.data = target.data
		default:
			f.mode |= fs.ModeDevice // a device, a FIFO: something that is there
		}
		b.files[p] = f
	}
}

// Setuid returns the base's own regular files that are setuid or setgid,
// sorted: a runtime image reports them, since nixlayer adds none.
func (b *Base) Setuid() []string {
	var out []string
	for p, f := range b.files {
		if f.mode.IsRegular() && f.mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// maxLinks is how many symbolic links resolve follows, as the kernel's
// limit.
const maxLinks = 40

// resolve returns where p is in the base's filesystem, following the
// symbolic links among its parent directories (and p's own, with last)
// inside the base's root, as the kernel does when a program in the image
// opens p: on a distribution whose /bin links to usr/bin, /bin/sh is
// /usr/bin/sh. A parent that is not a directory, or links that loop, are
// errors.
func (b *Base) resolve(p string, last bool) (string, error) {
	rest := strings.Split(strings.TrimPrefix(path.Clean(p), "/"), "/")
	cur := "/"
	for links := 0; len(rest) > 0; {
		next := path.Join(cur, rest[0])
		f, ok := b.files[next]
		final := len(rest) == 1
		switch {
		case !ok || final && !last:
			cur, rest = next, rest[1:]
		case f.mode&fs.ModeSymlink != 0:
			if links++; links > maxLinks {
				return "", fmt.Errorf("the base image's links from %s loop", p)
			}
			target := f.link
			if !path.IsAbs(target) {
				target = path.Join(cur, target)
			}
			rest = append(strings.Split(strings.TrimPrefix(path.Clean(target), "/"), "/"), rest[1:]...)
			cur = "/"
		case !f.mode.IsDir() && !final:
			return "", fmt.Errorf("the base image's %s is not a directory, so it cannot hold %s", next, p)
		default:
			cur, rest = next, rest[1:]
		}
	}
	return cur, nil
}

// lookup returns the entry at p, resolved as resolve does with last.
func (b *Base) lookup(p string, last bool) (baseFile, string, bool, error) {
	r, err := b.resolve(p, last)
	if err != nil {
		return baseFile{}, "", false, err
	}
	f, ok := b.files[r]
	return f, r, ok, nil
}

// has reports whether the base has an entry at p, following links.
func (b *Base) has(p string) bool {
	_, _, ok, err := b.lookup(p, true)
	return ok && err == nil
}

// content returns the base's file at p (following links) and where it
// is, or ok false when the base has none.
func (b *Base) content(p string) (f baseFile, at string, ok bool, err error) {
	f, at, ok, err = b.lookup(p, true)
	if err != nil || !ok {
		return baseFile{}, at, false, err
	}
	if !f.mode.IsRegular() {
		return baseFile{}, at, false, fmt.Errorf("the base image's %s is not a regular file", p)
	}
	if f.data == nil {
		return baseFile{}, at, false, fmt.Errorf("the base image's %s is %s, which is outside /etc or larger than 1 MiB, so nixlayer cannot merge it", p, at)
	}
	return f, at, true, nil
}
