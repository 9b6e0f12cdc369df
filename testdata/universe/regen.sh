#!/usr/bin/env bash
# regen.sh fetches what the offline nixpkgs stand-in needs from Debian's apt
# and writes it next to this script (both are git-ignored):
#
#   debs/*.deb        the Debian packages whose programs become real store paths
#   bb/busybox        a copy of the static busybox that every builder runs
#   manifest.json     per package: version, file, url, sha256, the sonames it
#                     provides and the sonames it needs
#   gobin/shfmt       a small Go program with module build info, built with
#                     this machine's Go, that shfmt's stand-in installs; it
#                     depends on golang.org/x/text v0.3.7, which has a known
#                     vulnerability (GO-2022-1059), for the scanner's tests
#
# It needs apt-get (after apt-get update), dpkg-deb, patchelf, jq,
# busybox-static and Go (with the Go module proxy for golang.org/x/text). It is idempotent: a .deb already present with the right
# sha256 is not downloaded again. It fails when a needed soname is provided by
# no listed package, naming it, so the list below stays complete.
set -euo pipefail

# Every Debian package the universe draws from. The programs (bash, coreutils,
# sudo, git, python3, nix, ...) come first, then the libraries they link.
DEBS=(
  bash coreutils findutils grep sed tar gzip curl jq git sudo direnv nix-bin sqlite3
  ca-certificates tzdata patchelf libc6 libc-bin libgcc-s1 libstdc++6
  python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpam-modules
  libacl1 libarchive13 libattr1 libaudit1 libboost-context1.74.0 libbrotli1
  libbsd0 libbz2-1.0 libcap-ng0 libcom-err2 libcpuid16 libcrypt1
  libcurl3-gnutls libcurl4 libdb5.3 libexpat1 libffi8 libgc1 libgmp10
  libgnutls30 libgssapi-krb5-2 libhogweed6 libicu72 libidn2-0 libjq1
  libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 liblz4-1
  liblzma5 libmd0 libncursesw6 libnettle8 libnghttp2-14 libnsl2 libonig5
  libp11-kit0 libpam0g libpcre2-8-0 libpsl5 libreadline8 librtmp1 libsasl2-2
  libseccomp2 libselinux1 libsodium23 libsqlite3-0 libssh2-1 libssl3
  libtasn1-6 libtinfo6 libtirpc3 libunistring2 libuuid1 libxml2 libzstd1
  zlib1g
)

here=$(cd "$(dirname "$0")" && pwd)
out=$here/debs
mkdir -p "$out"
for tool in apt-get dpkg-deb patchelf jq go; do
  command -v "$tool" >/dev/null || { echo "regen.sh: $tool is required" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "regen.sh: /bin/busybox is required (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$here/bb" && cp /bin/busybox "$here/bb/busybox.tmp" && mv "$here/bb/busybox.tmp" "$here/bb/busybox"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# apt-get download --print-uris prints: 'URL' FILE SIZE SHA256:HEX
apt() { apt-get -q -o APT::Sandbox::User=root "$@"; }
(cd "$work" && apt download --print-uris "${DEBS[@]}") > "$work/uris"
[ "$(wc -l < "$work/uris")" -eq "${#DEBS[@]}" ] || {
  echo "regen.sh: apt-get knows $(wc -l < "$work/uris") of ${#DEBS[@]} packages; run apt-get update" >&2; exit 1; }

isElf() { [ "$(head -c4 "$1" | tail -c3 | tr -d '\0')" = ELF ]; }

# Download, in one batch, what is missing or stale.
fetch=()
while read -r url file size sum; do
  [ -f "$out/$file" ] && echo "${sum#SHA256:}  $out/$file" | sha256sum -c --quiet - 2>/dev/null || fetch+=("${file%%_*}")
done < "$work/uris"
if [ ${#fetch[@]} -gt 0 ]; then
  bytes=$(awk -v want=" ${fetch[*]} " '{ split($2, f, "_"); if (index(want, " " f[1] " ")) n += $3 } END { print n + 0 }' "$work/uris")
  echo "regen.sh: downloading ${#fetch[@]} of ${#DEBS[@]} Debian packages ($((bytes / 1048576)) MiB) with apt"
  (cd "$work" && apt download "${fetch[@]}" >/dev/null)
  mv "$work"/*.deb "$out"/
else
  echo "regen.sh: all ${#DEBS[@]} Debian packages are here already"
fi
echo "regen.sh: reading the sonames of ${#DEBS[@]} packages for manifest.json"

entries=()
keep=()
while read -r url file size sum; do
  url=${url//\'/}; sum=${sum#SHA256:}
  name=${file%%_*}
  echo "$sum  $out/$file" | sha256sum -c --quiet -
  keep+=("$file")
  x=$work/x/$name
  mkdir -p "$x" && dpkg-deb -x "$out/$file" "$x"
  provides=() needs=()
  while IFS= read -r -d '' f; do
    isElf "$f" || continue
    if [[ $f == *.so* ]]; then
      s=$(patchelf --print-soname "$f" 2>/dev/null || true)
      [ -n "$s" ] && provides+=("$s")
      provides+=("$(basename "$f")")
    fi
    while read -r n; do [ -n "$n" ] && needs+=("$n"); done < <(patchelf --print-needed "$f" 2>/dev/null || true)
  done < <(find "$x" -type f \( -perm -u+x -o -name '*.so*' \) -print0)
  version=$(dpkg-deb -f "$out/$file" Version)
  # The upstream version: no epoch, no Debian revision.
  upstream=${version#*:}; upstream=${upstream%-*}; upstream=${upstream%%~*}
  entries+=("$(jq -n --arg name "$name" --arg version "$version" --arg upstream "$upstream" \
    --arg file "$file" --arg url "$url" --arg sha256 "$sum" \
    --args '{($name): {version: $version, upstream: $upstream, file: $file, url: $url, sha256: $sha256}}' \
    | jq --argjson p "$(printf '%s\n' "${provides[@]}" | jq -R . | jq -s 'map(select(. != "")) | unique')" \
         --argjson n "$(printf '%s\n' "${needs[@]}" | jq -R . | jq -s 'map(select(. != "")) | unique')" \
         'map_values(. + {provides: $p, needs: $n})')")
done < "$work/uris"

printf '%s\n' "${entries[@]}" | jq -s 'add' > "$work/manifest.json"

# Every needed soname must be provided by some listed package.
missing=$(jq -r '[.[].provides[]] as $p | [.[] | .needs[] | select(. as $n | $p | index($n) | not)] | unique | map(select(startswith("ld-linux") | not)) | .[]' "$work/manifest.json")
if [ -n "$missing" ]; then
  echo "regen.sh: no listed package provides: $(echo $missing); add the packages that do to DEBS" >&2
  exit 1
fi
mv "$work/manifest.json" "$here/manifest.json"

# Drop files left from an older regeneration.
for f in "$out"/*; do
  b=$(basename "$f")
  printf '%s\n' "${keep[@]}" | grep -qxF -- "$b" || rm -f -- "$f"
done
echo "regen.sh: $(jq length "$here/manifest.json") packages, $(du -sh "$out" | cut -f1) in $out"

# The Go program: a main module that uses golang.org/x/text v0.3.7, built
# static and with -trimpath, so that its build info names the module and the
# version, and the same Go gives the same bytes.
echo "regen.sh: building gobin/shfmt with $(go env GOVERSION), using golang.org/x/text v0.3.7"
src=$work/gosrc
mkdir -p "$src" "$here/gobin"
cat > "$src/go.mod" <<'GOMOD'
module nixlayer.test/universe/shfmt

go 1.21

require golang.org/x/text v0.3.7
GOMOD
cat > "$src/main.go" <<'GO'
// Command shfmt is the nixlayer test universe's Go program: it prints its
// name and a language tag from golang.org/x/text.
package main

import (
	"fmt"

	"golang.org/x/text/language"
)

func main() { fmt.Println("shfmt (shfmt) 3.10.0", language.English) }
GO
(cd "$src" && GOFLAGS=-mod=mod go mod download golang.org/x/text && GOFLAGS=-mod=mod CGO_ENABLED=0 GOOS=linux GOARCH=amd64 \
  go build -trimpath -buildvcs=false -o "$here/gobin/shfmt.tmp" .)
mv "$here/gobin/shfmt.tmp" "$here/gobin/shfmt"
echo "regen.sh: gobin/shfmt: $(go version -m "$here/gobin/shfmt" | awk '$1 == "dep" { print $2, $3 }')"
