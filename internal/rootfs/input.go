package rootfs

import (
	"io/fs"
	"path"
	"strings"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Package is one package of the image: its attribute and out path.
type Package struct {
	Attr string
	Out  string
}

// Input is what the customisation of one image depends on.
type Input struct {
	Kind kind.Kind
	// System is the Nix system, such as "x86_64-linux".
	System string
	// Packages are the image's packages in selection order. When two have
	// a program of the same name, the first one's goes into /usr/bin.
	Packages []Package
	// Closure holds every store path of the image, sorted.
	Closure []string
	// Store is where the closure's files are on disk.
	Store nix.Root
	// SBOM is the image's SBOM (CycloneDX JSON), which the image carries
	// at sbom.Path, with its digest in the sbom.Label label.
	SBOM []byte
	// Database is the store path of the devcontainer's Nix database, a
	// directory holding db.sqlite and schema (see registration.nix).
	Database string
	// Sets are the selected sets, for labels.
	Sets []string
	// Nixpkgs names the nixpkgs the image was built from (a revision, or a
	// narHash), for labels.
	Nixpkgs string
	// Extensions and Settings are the selected sets' VS Code extensions
	// and settings, for the devcontainer.metadata label.
	Extensions []string
	Settings   map[string]any
}

// out returns the out path of attr, or "".
func (in *Input) out(attr string) string {
	for _, p := range in.Packages {
		if p.Attr == attr {
			return p.Out
		}
	}
	return ""
}

// has reports whether the set name was selected.
func (in *Input) has(set string) bool {
	for _, s := range in.Sets {
		if s == set {
			return true
		}
	}
	return false
}

// find returns the first closure path whose name (after the hash) starts
// with prefix, such as "linux-pam-", or "".
func (in *Input) find(prefix string) string {
	for _, p := range in.Closure {
		if _, name, ok := strings.Cut(path.Base(p), "-"); ok && strings.HasPrefix(name, prefix) {
			return p
		}
	}
	return ""
}

// rel turns a store path into a name of the store's file system.
func rel(p string) string { return strings.TrimPrefix(p, "/") }

// fs returns the store's file system, whose symbolic links resolve inside
// the store root.
func (in *Input) fs() fs.FS { return in.Store.FS() }

// hostPath returns the file on disk that the store file p stands for,
// after following its links, for files the layer copies (the setuid sudo
// and the Nix database).
func (in *Input) hostPath(p string) (string, error) {
	return nix.HostPath(in.fs(), rel(p))
}
