package rootfs

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/platform"
)

// NixConf is /etc/nix/nix.conf of a devcontainer: single-user Nix with
// flakes. Containers rarely allow the user namespaces of Nix's sandbox.
const NixConf = `experimental-features = nix-command flakes
build-users-group =
sandbox = false
`

// sudoers writes /etc/sudoers, which lets vscode run anything as root
// without a password, with the image's PATH. On a base that has its own,
// the base's policy stays and nixlayer's lines follow it: sudo takes the
// last match, and the last Defaults.
func (in *Input) sudoers(t tree) error {
	own := "Defaults secure_path=\"" + in.path() + "\"\n" + VSCode.Name + " ALL=(ALL:ALL) NOPASSWD: ALL\n"
	if in.Base != nil {
		bf, at, ok, err := in.Base.content(sudoersFile)
		if err != nil {
			return err
		}
		if ok {
			data := appendLines(bf.data, "# nixlayer: vscode runs anything as root, without a password, with the image's PATH.\n"+own)
			t[at] = image.File{Path: at, Mode: bf.mode, Uid: bf.uid, Gid: bf.gid, Data: data}
			return nil
		}
	}
	t.file(sudoersFile, 0o440, 0, "Defaults env_reset\n"+strings.Replace(own, "\n", "\nroot ALL=(ALL:ALL) ALL\n", 1)+"@includedir /etc/sudoers.d\n")
	return nil
}

func devcontainerFiles(t tree, in *Input) error {
	u := VSCode
	if err := in.addUsers(t, u, "/bin/bash"); err != nil {
		return err
	}
	t.dir(u.Home, 0o755, u.UID)
	t.file(u.Home+"/.bashrc", 0o644, u.UID, "# direnv loads .envrc files (with nix-direnv's use flake) as you cd.\neval \"$(direnv hook bash)\"\n")
	t.file(u.Home+"/.bash_profile", 0o644, u.UID, "[ -f ~/.bashrc ] && . ~/.bashrc\n")
	t.dir(u.Home+"/.config", 0o755, u.UID)
	t.dir(u.Home+"/.config/direnv", 0o755, u.UID)
	if err := sudo(t, in); err != nil {
		return err
	}
	if err := nixStore(t, in, u); err != nil {
		return err
	}
	nd := in.out("nix-direnv")
	if nd == "" {
		return errors.New("the image has no nix-direnv")
	}
	t.file(u.Home+"/.config/direnv/direnvrc", 0o644, u.UID, "source "+nd+"/share/nix-direnv/direnvrc\n")
	if in.Base != nil {
		t.file(profileScript, 0o644, 0, loginPath(in.ownPath()))
	}
	if in.compat() {
		return vscodeCompat(t, in)
	}
	return nil
}

// sudo installs a setuid root copy of the sudo program outside the store
// (the store cannot hold setuid files), its sudo.conf (which names its
// plugins in the store), sudoers, and a PAM configuration for it.
func sudo(t tree, in *Input) error {
	s := in.out("sudo")
	if s == "" {
		return errors.New("the image has no sudo")
	}
	prog, err := in.hostPath(s + "/bin/sudo")
	if err != nil {
		return fmt.Errorf("reading sudo: %w", err)
	}
	t[in.sudoPath()] = image.File{Path: in.sudoPath(), Mode: fs.ModeSetuid | 0o755, Source: prog}
	switch conf, err := fs.ReadFile(in.fs(), rel(s)+"/etc/sudo.conf"); {
	case err == nil:
		t.file("/etc/sudo.conf", 0o644, 0, string(conf))
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("reading sudo.conf: %w", err)
	}
	if err := in.sudoers(t); err != nil {
		return err
	}
	t.dir("/etc/sudoers.d", 0o755, 0)
	pam := in.find("linux-pam-")
	if pam == "" {
		return errors.New("sudo needs PAM, but the image has no linux-pam")
	}
	mod := func(name string) string { return pam + "/lib/security/" + name }
	for _, m := range []string{"pam_unix.so", "pam_rootok.so"} {
		if _, err := fs.Stat(in.fs(), rel(mod(m))); err != nil {
			return fmt.Errorf("reading the PAM module %s: %w", m, err)
		}
	}
	t.file("/etc/pam.d/sudo", 0o644, 0, strings.Join([]string{
		"auth     sufficient " + mod("pam_rootok.so"),
		"auth     required   " + mod("pam_unix.so"),
		"account  required   " + mod("pam_unix.so"),
		"session  required   " + mod("pam_unix.so"),
		""}, "\n"))
	t.file("/etc/pam.d/other", 0o644, 0, strings.Join([]string{
		"auth     required " + mod("pam_unix.so"),
		"account  required " + mod("pam_unix.so"),
		"password required " + mod("pam_unix.so"),
		"session  required " + mod("pam_unix.so"),
		""}, "\n"))
	return nil
}

// nixStore makes Nix usable by u without sudo, as a single-user install:
// /nix belongs to u, and the database registers every path of the image.
func nixStore(t tree, in *Input, u User) error {
	if in.Database == "" {
		return errors.New("the devcontainer has no Nix database")
	}
	for _, d := range []string{"/nix", "/nix/store", "/nix/var", "/nix/var/nix", "/nix/var/nix/db", "/nix/var/nix/gcroots", "/nix/var/nix/profiles"} {
		t.dir(d, 0o755, u.UID)
	}
	schema, err := fs.ReadFile(in.fs(), rel(in.Database)+"/schema")
	if err != nil {
		return fmt.Errorf("reading the Nix database: %w", err)
	}
	db, err := in.hostPath(in.Database + "/db.sqlite")
	if err != nil {
		return fmt.Errorf("reading the Nix database: %w", err)
	}
	t.file("/nix/var/nix/db/schema", 0o644, u.UID, string(schema))
	t["/nix/var/nix/db/db.sqlite"] = image.File{Path: "/nix/var/nix/db/db.sqlite", Mode: 0o644, Uid: u.UID, Gid: u.UID, Source: db}
	t.file("/etc/nix/nix.conf", 0o644, 0, NixConf)
	t.file(OwnNix, 0o755, 0, ownNixScript)
	return nil
}

// CompatLibDir holds only the C++ runtime, for LD_LIBRARY_PATH: nixpkgs'
// loader never searches FHS directories, and a directory holding glibc
// itself would break programs built against another glibc.
const CompatLibDir = "/usr/lib/nixlayer-compat"

// glibcLibs are the glibc libraries FHS programs link.
var glibcLibs = []string{"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1"}

// ccLibs are the C++ runtime libraries.
var ccLibs = []string{"libstdc++.so.6", "libgcc_s.so.1"}

// vscodeCompat gives programs built for other distributions, such as VS
// Code's server, the FHS loader, glibc and the C++ runtime in the FHS
// library directory (which distribution loaders search), and the C++
// runtime in CompatLibDir (see Config, which puts it in LD_LIBRARY_PATH:
// Nix's loader searches no FHS directory). On a base with its own loader,
// the base's own loader, glibc and C++ runtime count: only the C++
// runtime libraries the base lacks are linked, where its loader finds
// them.
func vscodeCompat(t tree, in *Input) error {
	glibc, cc := in.out("glibc"), in.out("stdenv.cc.cc.lib")
	f, err := platform.Parse(in.System)
	if glibc == "" || cc == "" || err != nil {
		return fmt.Errorf("vscodeCompat needs glibc and stdenv.cc.cc.lib on a known system (have %q)", in.System)
	}
	own := in.baseLoader()
	if !own {
		t.link(f.Loader, glibc+"/lib/"+path.Base(f.Loader))
		for _, lib := range glibcLibs {
			if _, err := fs.Stat(in.fs(), rel(glibc)+"/lib/"+lib); err == nil {
				t.link(f.LibDir+"/"+lib, glibc+"/lib/"+lib)
			}
		}
	}
	for _, lib := range ccLibs {
		if _, err := fs.Stat(in.fs(), rel(cc)+"/lib/"+lib); err != nil {
			return fmt.Errorf("reading %s: %w", lib, err)
		}
		if own && in.Base.has(f.LibDir+"/"+lib) {
			continue
		}
		t.link(f.LibDir+"/"+lib, cc+"/lib/"+lib)
		if !own {
			t.link(CompatLibDir+"/"+lib, cc+"/lib/"+lib)
		}
	}
	return nil
}
