package rootfs

import (
	"io/fs"
	"path"
	"strings"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
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
	// Base, when set, is the image the image is built on: the
	// customisation adds to its filesystem and its config instead of
	// making its own (see onBase and Config).
	Base *Base
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

// binDirs are where the customisation links the packages' programs: /usr/bin
// and /usr/sbin on scratch, and on a base, which has programs of its own
// there, /usr/local/bin and /usr/local/sbin, which distributions leave
// empty and put first in PATH.
func (in *Input) binDirs() []string {
	if in.Base != nil {
		return []string{"/usr/local/bin", "/usr/local/sbin"}
	}
	return []string{"/usr/bin", "/usr/sbin"}
}

// sudoPath is where a devcontainer's setuid sudo is.
func (in *Input) sudoPath() string { return in.binDirs()[0] + "/sudo" }

// certPaths are where programs look for the CA bundle, the first being
// SSL_CERT_FILE's.
var certPaths = []string{"/etc/ssl/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt"}

// baseCerts returns the base's own CA bundle, the first of certPaths it
// has, or "". A base's trust store is its owners' (a FIPS or corporate
// base carries the CAs they chose), so nixlayer then links none of its own.
func (in *Input) baseCerts() string {
	if in.Base == nil {
		return ""
	}
	for _, p := range certPaths {
		if in.Base.has(p) {
			return p
		}
	}
	return ""
}

// certFile is SSL_CERT_FILE: the base's bundle, or nixlayer's link.
func (in *Input) certFile() string {
	if b := in.baseCerts(); b != "" {
		return b
	}
	return certPaths[0]
}

// compat reports whether the image gets vscodeCompat's FHS loader and
// libraries (see vscodeCompat): a devcontainer always, since an editor's
// server needs them (kind.Editor), another image with the set.
func (in *Input) compat() bool {
	return in.Kind == kind.Devcontainer || in.has("vscodeCompat")
}

// baseLoader reports whether the image is on a base with the platform's
// FHS loader of its own: an FHS distribution already, whose programs must
// not meet Nix's glibc in its library directory, and whose own glibc and
// C++ runtime count.
func (in *Input) baseLoader() bool {
	if in.Base == nil {
		return false
	}
	p, err := platform.Parse(in.System)
	return err == nil && in.Base.has(p.Loader)
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
