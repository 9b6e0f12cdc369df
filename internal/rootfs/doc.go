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
// Files reads only what it must from the store (directory listings and a
// few configuration files) through an fs.FS, so tests give it a fake one.
package rootfs
