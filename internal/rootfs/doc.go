// Package rootfs is the customisation layer of nixlayer's images: what an
// image needs besides its store paths, as a list of files for
// [image.FilesLayer], and the image config.
//
// Store layers hold only /nix/store. The customisation layer, always the
// last one, gives the image its users, its /etc, the programs of its
// packages in /usr/bin, and, by kind:
//
//   - a devcontainer: user vscode (uid 1000) with a setuid copy of sudo
//     outside the store, sudoers and PAM files, a writable /etc/passwd,
//     /etc/group and /etc/shadow, the direnv hook and nix-direnv's
//     direnvrc, /etc/nix/nix.conf with flakes, a Nix database registering
//     the closure, and /nix owned by vscode, so Nix works without sudo;
//   - a runtime image: user app (uid 1000), /app, a minimal /etc, and no
//     setuid or setgid file at all.
//
// For example, a devcontainer of base and devTools gets
//
//	/etc/passwd           root, vscode (1000, /home/vscode, /bin/bash), nobody
//	/usr/bin/sudo         mode 4755, copied from /nix/store/…-sudo-1.9.13p3/bin/sudo
//	/usr/bin/git          -> /nix/store/…-git-2.39.5/bin/git
//	/bin/sh               -> /nix/store/…-bash-5.2.15/bin/bash
//	/home/vscode/.bashrc  eval "$(direnv hook bash)"
//
// # On a base image
//
// With Input.Base (a certified distribution, say, read with ReadBase from
// its flattened filesystem), the layer adds to the base instead of making
// a system of its own, and replaces only what nixlayer's programs need:
//
//   - the base's /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow
//     keep their lines, owners and modes and gain the kind's user; an
//     account of the same name or id is bad input (see CheckBase), since
//     two users would share it;
//   - the base's /etc/sudoers keeps its policy, with vscode's line after
//     it; /etc/sudo.conf and /etc/pam.d/sudo are nixlayer's sudo's, which
//     comes first in PATH, before a sudo of the base's;
//   - the programs of the packages are linked into /usr/local/bin and
//     /usr/local/sbin, which distributions leave empty, not into /usr/bin,
//     whose programs are the base's; PATH puts nixlayer's entries (and a
//     devcontainer's Nix profiles) before the base's, and a devcontainer's
//     /etc/profile.d/nixlayer.sh keeps them first in login shells;
//   - everything else the base has stays the base's: /bin/sh and /bin/bash,
//     /etc/os-release, /etc/hosts, /etc/nsswitch.conf, /tmp. The base's CA
//     bundle, when it has one, is the image's (SSL_CERT_FILE names it), and
//     a base with the platform's FHS loader keeps its own loader, glibc
//     and C++ runtime: it is an FHS distribution already, whose programs
//     must not meet Nix's glibc in its library directories; a
//     devcontainer adds only the C++ runtime libraries the base lacks,
//     which an editor's server needs;
//   - each file goes where a program in the image finds it, through the
//     base's links (/bin/x is /usr/bin/x where /bin links to usr/bin), and
//     the base's directories that hold the layer's files are repeated with
//     their owners and modes, so that the layer changes none of them.
//
// Config keeps the base's config where nixlayer sets nothing (its other
// environment variables, labels, entrypoint) and labels the image with the
// base's digest and name (LabelBaseDigest, LabelBaseName).
//
// Files reads only what it must from the store (directory listings and a
// few configuration files) through an fs.FS, so tests give it a fake one.
package rootfs
