package nixtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// Files are the files of a store path, by their path in it, such as
// "bin/hello". A file under bin/ is executable.
type Files map[string]string

// Nix is a fake nix and its store.
type Nix struct {
	// Root is the root of the chroot store: the store's files are under
	// Root/nix/store, and the driver's Store is Root.
	Root string
	// Bin is an executable file that names the fake nix, as a driver's
	// Bin names a nix (a build's record key names it); it is never run.
	Bin string
	// System is the system of the fake nixpkgs' packages.
	System string

	t     testing.TB
	mu    sync.Mutex
	attrs map[string]string // by attribute path, the out path
	paths map[string]*storePath
	drvs  map[string]*derivation
	valid map[string]bool
	calls []string
	// refused are the subcommands that fail (see Refuse).
	refused []string
}

// storePath is a path of the fake store.
type storePath struct {
	path    string
	files   Files
	refs    []string
	deriver string
}

// derivation is the derivation of a store path: a package's, or the
// fetch of its source.
type derivation struct {
	path, name, out string
	// src is the package's source, fetched by its own derivation; "" for
	// a fetch, or a path without a source.
	src       string
	inputDrvs []string
	// fetch has the fetched file's URL and hash.
	fetch *fetch
}

type fetch struct{ url, hash string }

// New returns a fake Nix with an empty store in a temporary directory,
// for packages of system.
func New(t testing.TB, system string) *Nix {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "nix")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho 'nixtest: the fake nix runs in the test, through nix.Driver.Exec' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(filepath.Join(root, "nix", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Store files are read-only, as Nix makes them; make them writable
	// again so that the temporary directory can be removed.
	t.Cleanup(func() { makeWritable(root) })
	return &Nix{Root: root, Bin: bin, System: system, t: t, attrs: map[string]string{}, paths: map[string]*storePath{}, drvs: map[string]*derivation{}, valid: map[string]bool{}}
}

// Driver returns a driver of the fake's store that runs the fake.
func (n *Nix) Driver() *nix.Driver {
	return &nix.Driver{Bin: n.Bin, Store: n.Root, Exec: n.exec}
}

// Path adds the store path name, made by a derivation of the same name
// from no source, with files and references to refs, and returns it. It
// is in the store once a package whose closure holds it is built.
func (n *Nix) Path(name string, files Files, refs ...string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.add(name, files, refs, nil)
}

// Package adds the attribute attr of the fake nixpkgs: the store path
// name (such as "hello-2.12.2"), as Path makes it, built from a source
// that fetchurl fetches, and returns its out path.
func (n *Nix) Package(attr, name string, files Files, refs ...string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	pname, version := nix.ParseDrvName(name)
	file := pname + "-" + version + ".tar.gz"
	url := "https://example.org/" + pname + "/" + file
	sum := sha256.Sum256([]byte(url))
	src := storeName("fetch "+url, file)
	fetchDrv := &derivation{path: storeName("drv "+src, file+".drv"), name: file, out: src, fetch: &fetch{url: url, hash: hex.EncodeToString(sum[:])}}
	n.drvs[fetchDrv.path] = fetchDrv
	out := n.add(name, files, refs, fetchDrv)
	n.attrs[attr] = out
	return out
}

// Packages adds a package of each attribute, as Package does: version
// 1.0, one program named as the attribute's last part, which refers to a
// C library, as the programs of the test universe (testdata/universe) do.
// It returns the C library's store path.
func (n *Nix) Packages(attrs ...string) (libc string) {
	n.t.Helper()
	libc = n.Path("glibc-2.40", Files{"lib/libc.so.6": "ELF libc"})
	for _, a := range attrs {
		program := a[strings.LastIndex(a, ".")+1:]
		n.Package(a, strings.ReplaceAll(a, ".", "-")+"-1.0", Files{"bin/" + program: "ELF " + a}, libc)
	}
	return libc
}

// add adds a store path and its derivation, which builds it from the
// output of src when src is not nil; n.mu is held.
func (n *Nix) add(name string, files Files, refs []string, src *derivation) string {
	n.t.Helper()
	var id strings.Builder
	fmt.Fprintf(&id, "out %s\n", name)
	for _, f := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(&id, "%q %q\n", f, files[f])
	}
	refs = slices.Sorted(slices.Values(refs))
	fmt.Fprintf(&id, "%q\n", refs)
	drv := &derivation{name: name}
	for _, r := range refs {
		ref, ok := n.paths[r]
		if !ok {
			n.t.Fatalf("nixtest: %s refers to %s, which is not in the store", name, r)
		}
		drv.inputDrvs = append(drv.inputDrvs, ref.deriver)
	}
	if src != nil {
		fmt.Fprintf(&id, "src %s\n", src.out)
		drv.src = src.out
		drv.inputDrvs = append(drv.inputDrvs, src.path)
	}
	p := storeName(id.String(), name)
	drv.path, drv.out = storeName("drv "+p, name+".drv"), p
	slices.Sort(drv.inputDrvs)
	n.drvs[drv.path] = drv
	n.paths[p] = &storePath{path: p, files: files, refs: refs, deriver: drv.path}
	return p
}

// Lose takes the store path p out of the store, as a garbage collection
// does, with the paths that refer to it (a store never holds a path
// without its closure): their files go, and Nix no longer knows them,
// until a build makes them again.
func (n *Nix) Lose(p string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lose(p)
}

// lose takes p and its referrers out of the store; n.mu is held.
func (n *Nix) lose(p string) {
	if !n.valid[p] {
		return
	}
	delete(n.valid, p)
	dir := filepath.Join(n.Root, filepath.FromSlash(p))
	makeWritable(dir)
	_ = os.RemoveAll(dir)
	for q, sp := range n.paths {
		if slices.Contains(sp.refs, p) {
			n.lose(q)
		}
	}
}

// Refuse makes the subcommands subs, such as "build", fail from now on,
// as a command fails that cannot be done here; Refuse() lets every
// subcommand run again.
func (n *Nix) Refuse(subs ...string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.refused = subs
}

// Calls returns the subcommands that ran since the last call, in order,
// such as "eval" or "path-info", and forgets them.
func (n *Nix) Calls() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := n.calls
	n.calls = nil
	return c
}

// Realise puts the store path p and its closure in the store, as a build
// of its package does.
func (n *Nix) Realise(p string) {
	n.t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.paths[p]; !ok {
		n.t.Fatalf("nixtest: %s is not in the store", p)
	}
	if err := n.realise(p); err != nil {
		n.t.Fatalf("nixtest: building %s: %v", p, err)
	}
}

// realise puts p and its closure in the store; n.mu is held.
func (n *Nix) realise(p string) error {
	if n.valid[p] {
		return nil
	}
	sp := n.paths[p]
	for _, r := range sp.refs {
		if err := n.realise(r); err != nil {
			return err
		}
	}
	dir := filepath.Join(n.Root, filepath.FromSlash(p))
	for _, f := range slices.Sorted(maps.Keys(sp.files)) {
		file := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		mode := fs.FileMode(0o444) // as Nix makes store files
		if path.Dir(f) == "bin" {
			mode = 0o555
		}
		if err := os.WriteFile(file, []byte(sp.files[f]), mode); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Nix dates every store file one second after the epoch, and makes
	// the directories read-only.
	err := filepath.WalkDir(dir, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := os.Chtimes(q, time.Unix(1, 0), time.Unix(1, 0)); err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(q, 0o555)
		}
		return nil
	})
	if err != nil {
		return err
	}
	n.valid[p] = true
	return nil
}

// info is what path-info says of p: its NAR hash (here, a hash of its
// files) and size, as Nix 2.8 prints them.
func (s *storePath) info() (narHash string, narSize int64) {
	h := sha256.New()
	for _, f := range slices.Sorted(maps.Keys(s.files)) {
		fmt.Fprintf(h, "%q %d\n%s", f, len(s.files[f]), s.files[f])
		narSize += 128 + int64(len(s.files[f])+7)/8*8
	}
	return "sha256-" + base64.StdEncoding.EncodeToString(h.Sum(nil)), narSize + 96
}

// nix32 is the alphabet of store path hashes.
const nix32 = "0123456789abcdfghijklmnpqrsvwxyz"

// storeName returns a store path of name whose hash part is derived from
// id, as Nix derives it from what makes the path.
func storeName(id, name string) string {
	sum := sha256.Sum256([]byte(id))
	var b strings.Builder
	for i := range 32 {
		b.WriteByte(nix32[sum[i]%32])
	}
	return nix.DefaultStoreDir + "/" + b.String() + "-" + name
}

// makeWritable gives the owner write permission on every directory below
// root.
func makeWritable(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
}
