package nix

import (
	"net/url"
	"path"
	"strings"
)

// StoreRoot returns the filesystem directory under which the store's
// /nix/store lives: "" for the default store (and for any store that is not
// a local chroot store, such as "daemon" or "ssh://host"), or the root of a
// local chroot store given as "/dir/root" or "local?root=/dir/root".
func (d *Driver) StoreRoot() string {
	s := d.Store
	switch {
	case strings.HasPrefix(s, "/"):
		s, _, _ = strings.Cut(s, "?")
		return path.Clean(s)
	case strings.HasPrefix(s, "local?"), strings.HasPrefix(s, "local://?"):
		_, query, _ := strings.Cut(s, "?")
		params, err := url.ParseQuery(query)
		if root := params.Get("root"); err == nil && strings.HasPrefix(root, "/") {
			return path.Clean(root)
		}
	}
	return ""
}

// RealPath returns where storePath can be read on this machine: the path
// itself for the default store, or the path under [Driver.StoreRoot] for a
// chroot store.
func (d *Driver) RealPath(storePath string) string {
	root := d.StoreRoot()
	if root == "" || root == "/" {
		return storePath
	}
	return root + storePath
}
