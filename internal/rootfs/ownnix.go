package rootfs

// OwnNix is the devcontainer's program that gives /nix to the user who
// runs it. The devcontainer CLI's updateRemoteUserUID gives vscode the uid
// and gid of the developer on the host, which are rarely 1000, and chowns
// the home directory only; single-user Nix then cannot write its store.
// The image's devcontainer.metadata runs OwnNix as the onCreateCommand, as
// the remote user, once the container exists: it does nothing when /nix is
// already the user's, and otherwise hands it over with sudo, in about a
// second for a few hundred store paths.
const OwnNix = "/usr/libexec/nixlayer/own-nix"

// ownNixScript is OwnNix. chown -h changes the links of the store
// themselves, never what they point to.
const ownNixScript = `#!/bin/sh
# Gives /nix to the user who runs this, when it is not theirs already, so
# that Nix works without sudo after the devcontainer CLI changed vscode's
# uid (updateRemoteUserUID). The image's devcontainer.metadata runs it as
# the onCreateCommand.
set -eu
me="$(id -u):$(id -g)"
[ "$(stat -c %u:%g /nix)" = "$me" ] && exit 0
exec sudo -n chown -R -h "$me" /nix
`
