# attrs.sh runs a builder script ($1, under busybox sh from $bbdir) for a
# derivation with __structuredAttrs, such as nixpkgs' xz, pcre2, gnugrep,
# git and sudo. Such a derivation's environment is only __json and its
# outputs' paths, and Nix passes the attributes to the builder in
# .attrs.json and .attrs.sh instead; nixpkgs' stdenv (setup.sh) sources
# .attrs.sh, as this does. It exports each output's path under its name
# ($out), and every other attribute as a derivation without structured
# attributes would have it: a list as its words joined by spaces, true as
# 1 and false as empty. It runs under bash, which .attrs.sh needs (arrays).
# Not $NIX_ATTRS_SH_FILE: Nix 2.8 sets it to the path outside the sandbox.
# shellcheck disable=SC2154 # outputs and bbdir come from .attrs.sh
set -eu
# shellcheck source=/dev/null
source "$NIX_BUILD_TOP/.attrs.sh"
for __o in "${!outputs[@]}"; do export "$__o=${outputs[$__o]}"; done
# .attrs.sh declares one variable per attribute, a line each (a string's
# further lines never start with "declare "). The loop's own variables
# start with __, as no attribute's name does.
while IFS= read -r __line; do
  [[ $__line =~ ^declare\ (-[aA]\ )?([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
  # outputs, and attribute sets, which no script reads
  [[ ${BASH_REMATCH[1]} == "-A " ]] && continue
  __name=${BASH_REMATCH[2]}
  declare -n __ref=$__name
  __value="${__ref[*]}"
  unset -n __ref
  unset "$__name"
  export "$__name=$__value"
done < "$NIX_BUILD_TOP/.attrs.sh"
exec "$bbdir/sh" -eu "$1"
