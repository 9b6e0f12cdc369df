package nix

import (
	"fmt"
	"path"
	"strings"
)

// DefaultStoreDir is the store directory of every ordinary Nix installation.
// A chroot store (see [Driver.Root]) keeps it too; only the directory
// on the host filesystem differs.
const DefaultStoreDir = "/nix/store"

const (
	storeHashLen    = 32  // characters of the hash part of a store path's base name
	maxStoreNameLen = 211 // longest name part Nix accepts
)

// checkBaseName reports whether base is the base name of a store path,
// "<32 base-32 characters>-<name>", and if not, why not.
func checkBaseName(base string) error {
	if len(base) < storeHashLen+2 || base[storeHashLen] != '-' {
		return fmt.Errorf("%q is not a store path base name (<hash>-<name>)", base)
	}
	for i := 0; i < storeHashLen; i++ {
		if nix32Index[base[i]] == 0xff {
			return fmt.Errorf("store path base name %q has %q in its hash part", base, base[i])
		}
	}
	name := base[storeHashLen+1:]
	if len(name) > maxStoreNameLen {
		return fmt.Errorf("store path name of %d characters is longer than %d", len(name), maxStoreNameLen)
	}
	if name == "." || name == ".." {
		return fmt.Errorf("store path name %q is not allowed", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+-._?=", c) >= 0
		if !ok {
			return fmt.Errorf("store path name %q has invalid character %q", name, c)
		}
	}
	return nil
}

// checkStoreDir reports whether dir can be a store directory: an absolute,
// clean path other than "/".
func checkStoreDir(dir string) error {
	if !path.IsAbs(dir) || path.Clean(dir) != dir || dir == "/" {
		return fmt.Errorf("invalid store directory %q", dir)
	}
	return nil
}

// normalizeStorePath returns p as a full store path in storeDir. p is either
// a full store path directly inside storeDir or, as in newer Nix JSON
// formats, a bare base name.
func normalizeStorePath(storeDir, p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		if err := checkBaseName(p); err != nil {
			return "", err
		}
		return storeDir + "/" + p, nil
	}
	base, ok := strings.CutPrefix(p, storeDir+"/")
	if !ok || strings.Contains(base, "/") {
		return "", fmt.Errorf("%q is not a store path in %s", p, storeDir)
	}
	if err := checkBaseName(base); err != nil {
		return "", fmt.Errorf("%q is not a store path: %w", p, err)
	}
	return p, nil
}

// checkStorePath reports whether p is a full store path, "<store
// dir>/<hash>-<name>", in any store directory.
func checkStorePath(p string) error {
	dir, base := path.Split(p)
	if dir == "" || checkStoreDir(strings.TrimSuffix(dir, "/")) != nil {
		return fmt.Errorf("%q is not a store path", p)
	}
	if err := checkBaseName(base); err != nil {
		return fmt.Errorf("%q is not a store path: %w", p, err)
	}
	return nil
}

// CheckStorePath reports whether p is a store path in DefaultStoreDir,
// "/nix/store/<hash>-<name>", as images name every store path wherever the
// store lives on disk, and if not, why not.
func CheckStorePath(p string) error {
	if !strings.HasPrefix(p, DefaultStoreDir+"/") {
		return fmt.Errorf("%q is not a store path in %s", p, DefaultStoreDir)
	}
	_, err := normalizeStorePath(DefaultStoreDir, p)
	return err
}
