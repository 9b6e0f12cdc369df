package nix

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestRootFS checks that symbolic links resolve inside the root, as they
// would inside an image: Nix writes absolute links into /nix/store.
func TestRootFS(t *testing.T) {
	root := t.TempDir()
	const gcc = "/nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0"
	const glibc = "/nix/store/js577nhr1wv1h0rvnc84cxima3syy14q-glibc-2.36"
	mk := func(p, data string) {
		t.Helper()
		f := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(p, target string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, p)); err != nil {
			t.Fatal(err)
		}
	}
	mk(gcc+"/lib/libstdc++.so.6.0.30", "c++")
	mk(glibc+"/lib/libc.so.6", "libc")
	link(gcc+"/lib/libstdc++.so.6", gcc+"/lib/libstdc++.so.6.0.30") // absolute, as Nix writes them
	link(gcc+"/lib/libc.so.6", "../../"+filepath.Base(glibc)+"/lib/libc.so.6")
	link(gcc+"/lib64", gcc+"/lib")
	link(gcc+"/loop", gcc+"/loop")
	link(gcc+"/escape", "../../../../../etc/hostname")

	fsys := Root(root).FS()
	for name, want := range map[string]string{
		"nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0/lib/libstdc++.so.6":   "c++",
		"nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0/lib64/libstdc++.so.6": "c++",
		"nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0/lib/libc.so.6":        "libc",
	} {
		data, err := fs.ReadFile(fsys, name)
		if err != nil || string(data) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, data, err, want)
		}
		if fi, err := fs.Stat(fsys, name); err != nil || fi.Size() != int64(len(want)) {
			t.Errorf("Stat(%s) = %v, %v", name, fi, err)
		}
		host, err := HostPath(fsys, name)
		if err != nil || filepath.Dir(filepath.Dir(host)) == root || !filepath.IsAbs(host) {
			t.Errorf("HostPath(%s) = %q, %v", name, host, err)
		}
	}
	if entries, err := fs.ReadDir(fsys, "nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0/lib64"); err != nil || len(entries) != 3 {
		t.Errorf("ReadDir through a link: %v, %v", entries, err)
	}
	// A link that leaves the root by ".." stops at the root, as in a chroot.
	if _, err := fs.Stat(fsys, "nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0/escape"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a link out of the root: %v, want not found inside the root", err)
	}
	if _, err := fs.Stat(fsys, "nix/store/xq4kq2hckl0kc5nbqr9a6ngcz1qbvx2l-gcc-12.2.0/loop"); err == nil {
		t.Error("a link loop resolved")
	}
	if _, err := fs.Stat(fsys, "/nix/store"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("an absolute name: %v, want invalid", err)
	}
	if _, err := HostPath(os.DirFS(root), "nix"); err == nil {
		t.Error("HostPath accepted a file system that is not a root's")
	}
}
