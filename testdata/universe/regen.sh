#!/usr/bin/env bash
# regen.sh fetches what the offline nixpkgs stand-in needs from Debian's apt,
# for every platform of nix/platforms.json, and writes it next to this
# script (all of it is git-ignored). Each architecture has files of its own,
# amd64's without a suffix and the others' with one, such as -arm64:
#
#   debs/*.deb        the Debian packages whose programs become real store
#                     paths (debs-arm64/ for arm64), and busybox-static
#   bb/busybox        Debian's static busybox, which every builder runs
#   manifest.json     per package: version, architecture, file, url, sha256,
#                     the sonames it provides and the sonames it needs
#   gobin/shfmt       a small Go program with module build info, built with
#                     this machine's Go for the architecture, that shfmt's
#                     stand-in installs; it depends on golang.org/x/text
#                     v0.3.7, which has a known vulnerability (GO-2022-1059),
#                     for the scanner's tests
#   systems.json      for each Nix system: its Debian architecture, its
#                     multiarch triplet and loader (from nix/platforms.json),
#                     and the names of its files above; the universe reads it
#   noarch.json       the fixed-output hashes of the universe's packages of
#                     architecture "all" (cacert, tzdata), which Nix then
#                     gives the same store path on every system
#
# It needs apt-get (after apt-get update, with `dpkg --add-architecture` for
# each architecture other than the machine's), dpkg-deb, readelf, jq, Go
# (with the Go module proxy for golang.org/x/text) and Nix (nix-build, with
# its sandbox, for noarch.json). It is idempotent: a .deb
# already present with the right sha256 is not downloaded again. It fails
# when a needed soname is provided by no listed package, naming it, so the
# list below stays complete.
set -euo pipefail

# Every Debian package the universe draws from, for each architecture. The
# programs (bash, coreutils, sudo, git, python3, nix, ...) come first, then the
# libraries they link; GnuCOBOL's compiler and runtime library come last.
DEBS=(
  bash coreutils findutils grep sed tar gzip curl jq git sudo direnv nix-bin sqlite3
  ca-certificates tzdata patchelf libc6 libc-bin libgcc-s1 libstdc++6
  python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpam-modules
  libacl1 libarchive13 libattr1 libaudit1 libboost-context1.74.0 libbrotli1
  libbsd0 libbz2-1.0 libcap-ng0 libcom-err2 libcrypt1
  libcurl3-gnutls libcurl4 libdb5.3 libexpat1 libffi8 libgc1 libgmp10
  libgnutls30 libgssapi-krb5-2 libhogweed6 libicu72 libidn2-0 libjq1
  libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 liblz4-1
  liblzma5 libmd0 libncursesw6 libnettle8 libnghttp2-14 libnsl2 libonig5
  libp11-kit0 libpam0g libpcre2-8-0 libpsl5 libreadline8 librtmp1 libsasl2-2
  libseccomp2 libselinux1 libsodium23 libsqlite3-0 libssh2-1 libssl3
  libtasn1-6 libtinfo6 libtirpc3 libunistring2 libuuid1 libxml2 libzstd1
  zlib1g gnucobol3 libcob4
)
# Packages of one architecture only: nix links libcpuid on amd64 alone.
declare -A ONLY=([amd64]="libcpuid16")

here=$(cd "$(dirname "$0")" && pwd)
table=$here/../../nix/platforms.json
for tool in apt-get apt-cache dpkg dpkg-deb readelf jq go nix-build nix-instantiate nix-store; do
  command -v "$tool" >/dev/null || { echo "regen.sh: $tool is required" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

apt() { apt-get -q -o APT::Sandbox::User=root "$@"; }
# The suffix of an architecture's files: none for amd64.
suffix() { [ "$1" = amd64 ] || printf -- '-%s' "$1"; }

# Packages of architecture "all" (ca-certificates, tzdata) are the same
# file for every architecture, and apt names them without one.
archAll=" $(apt-cache show --no-all-versions "${DEBS[@]}" | awk '/^Package:/ { p = $2 } /^Architecture: all/ { print p }' | sort -u | tr '\n' ' ') "
known=" $(dpkg --print-architecture) $(dpkg --print-foreign-architectures | tr '\n' ' ') "

# regen ARCH TRIPLET: fetches the .debs and busybox of one architecture,
# then writes its manifest.
regen() {
  local arch=$1 triplet=$2 sfx out names=() p debs
  read -ra debs <<< "${DEBS[*]} ${ONLY[$arch]:-}"
  sfx=$(suffix "$arch")
  out=$here/debs$sfx
  case $known in *" $arch "*) ;; *)
    echo "regen.sh: apt does not fetch $arch packages: run dpkg --add-architecture $arch && apt-get update" >&2; exit 1 ;;
  esac
  for p in "${debs[@]}" busybox-static; do
    case $archAll in *" $p "*) names+=("$p") ;; *) names+=("$p:$arch") ;; esac
  done
  mkdir -p "$out" "$work/$arch"
  # apt-get download --print-uris prints: 'URL' FILE SIZE SHA256:HEX
  (cd "$work/$arch" && apt download --print-uris "${names[@]}") > "$work/uris-$arch"
  [ "$(wc -l < "$work/uris-$arch")" -eq "${#names[@]}" ] || {
    echo "regen.sh: apt knows $(wc -l < "$work/uris-$arch") of ${#names[@]} $arch packages; run apt-get update" >&2; exit 1; }

  # Download, in one batch, what is missing or stale.
  local fetch=() url file sum bytes
  while read -r _ file _ sum; do
    if ! { [ -f "$out/$file" ] && echo "${sum#SHA256:}  $out/$file" | sha256sum -c --quiet - 2>/dev/null; }; then
      p=${file%%_*}
      case $archAll in *" $p "*) fetch+=("$p") ;; *) fetch+=("$p:$arch") ;; esac
    fi
  done < "$work/uris-$arch"
  if [ ${#fetch[@]} -gt 0 ]; then
    bytes=$(awk -v want=" ${fetch[*]} " '{ split($2, f, "_"); if (index(want, " " f[1] " ") || index(want, " " f[1] ":")) n += $3 } END { print n + 0 }' "$work/uris-$arch")
    echo "regen.sh: downloading ${#fetch[@]} of ${#names[@]} $arch Debian packages ($((bytes / 1048576)) MiB) with apt"
    (cd "$work/$arch" && apt download "${fetch[@]}" >/dev/null)
    mv "$work/$arch"/*.deb "$out"/
  else
    echo "regen.sh: all ${#names[@]} $arch Debian packages are here already"
  fi
  echo "regen.sh: reading the sonames of ${#debs[@]} $arch packages for manifest$sfx.json"

  local -A keep=()
  local name x provides needs f version architecture upstream
  while read -r url file _ sum; do
    url=${url//\'/}; sum=${sum#SHA256:}
    name=${file%%_*}
    echo "$sum  $out/$file" | sha256sum -c --quiet -
    keep[$file]=1
    x=$work/$arch/x/$name
    mkdir -p "$x" && dpkg-deb -x "$out/$file" "$x"
    if [ "$name" = busybox-static ]; then
      mkdir -p "$here/bb$sfx" && cp "$x/bin/busybox" "$here/bb$sfx/busybox.tmp" && mv "$here/bb$sfx/busybox.tmp" "$here/bb$sfx/busybox"
      continue
    fi
    # apt names a file NAME_VERSION_ARCHITECTURE.deb, with the epoch's colon
    # as %3a; the upstream version has no epoch and no Debian revision.
    IFS=_ read -r _ version architecture <<< "${file%.deb}"
    version=${version//%3a/:}
    upstream=${version#*:}; upstream=${upstream%-*}; upstream=${upstream%%~*}
    # One readelf reads every ELF file of the package (the first argument,
    # /dev/null, makes it name each file even when there is one, and only an
    # ELF file has a dynamic section or says it has none); a library
    # (a file named *.so*) provides its soname and its file name, and every
    # ELF file needs its NEEDED entries. awk gives them as two lines.
    { IFS= read -r provides; IFS= read -r needs; } < <(
      find "$x" -type f \( -perm -u+x -o -name '*.so*' \) -print0 | xargs -0 -r readelf -d /dev/null 2>/dev/null | awk -v root="$x/" '
        /^File: / { f = substr($0, 7 + length(root)); lib = (f ~ /\.so/); next }
        /^(Dynamic section at|There is no dynamic section)/ && lib { n = split(f, parts, "/"); p = p " " parts[n] }
        /\(SONAME\)/ && lib { p = p " " substr($NF, 2, length($NF) - 2) }
        /\(NEEDED\)/ { q = q " " substr($NF, 2, length($NF) - 2) }
        END { print p; print q }')
    printf '%s\t' "$name" "$version" "$upstream" "$architecture" "$file" "$url" "$sum" "$provides" >> "$work/entries-$arch"
    printf '%s\n' "$needs" >> "$work/entries-$arch"
  done < "$work/uris-$arch"

  jq -R -s 'def words: split(" ") | map(select(. != "")) | unique;
    split("\n") | map(select(. != "") | split("\t")
      | {(.[0]): {version: .[1], upstream: .[2], architecture: .[3], file: .[4], url: .[5], sha256: .[6],
          provides: (.[7] | words), needs: (.[8] | words)}}) | add' "$work/entries-$arch" > "$work/manifest-$arch.json"

  # Every needed soname must be provided by some listed package.
  local missing
  missing=$(jq -r '[.[].provides[]] as $p | [.[] | .needs[] | select(. as $n | $p | index($n) | not)] | unique | map(select(startswith("ld-linux") | not)) | .[]' "$work/manifest-$arch.json")
  if [ -n "$missing" ]; then
    echo "regen.sh: no listed $arch package provides: $(tr '\n' ' ' <<< "$missing"); add the packages that do to DEBS (or ONLY)" >&2
    exit 1
  fi
  mv "$work/manifest-$arch.json" "$here/manifest$sfx.json"

  # Drop files left from an older regeneration. (A lookup, not a pipe into
  # grep -q: under pipefail, grep's early exit killed printf with SIGPIPE
  # now and then, and a valid .deb was deleted.)
  for f in "$out"/*; do
    [ -n "${keep[$(basename "$f")]:-}" ] || rm -f -- "$f"
  done
  echo "regen.sh: $(jq length "$here/manifest$sfx.json") $arch packages, $(du -sh "$out" | cut -f1) in $out"
}

# The Go program: a main module that uses golang.org/x/text v0.3.7, built
# static and with -trimpath for each architecture, so that its build info
# names the module and the version, and the same Go gives the same bytes.
src=$work/gosrc
mkdir -p "$src"
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
(cd "$src" && GOFLAGS=-mod=mod go mod download golang.org/x/text)
gobin() {
  local arch=$1 dir
  dir=$here/gobin$(suffix "$arch")
  echo "regen.sh: building gobin$(suffix "$arch")/shfmt for $arch with $(go env GOVERSION), using golang.org/x/text v0.3.7"
  mkdir -p "$dir"
  (cd "$src" && GOFLAGS=-mod=mod CGO_ENABLED=0 GOOS=linux GOARCH=$arch \
    go build -trimpath -buildvcs=false -o "$dir/shfmt.tmp" .)
  mv "$dir/shfmt.tmp" "$dir/shfmt"
  echo "regen.sh: gobin$(suffix "$arch")/shfmt: $(go version -m "$dir/shfmt" | awk '$1 == "dep" { print $2, $3 }')"
}

# One pass per platform of the table, all at once, each in the background
# (they write files of their own). Its goarch is also Debian's name of the
# architecture (amd64, arm64); its libdir ends in the multiarch triplet.
systems=() passes=()
while read -r system arch libdir loader; do
  triplet=${libdir##*/}
  (regen "$arch" "$triplet" && gobin "$arch") &
  passes+=($!)
  sfx=$(suffix "$arch")
  systems+=("$(jq -n --arg system "$system" --arg arch "$arch" --arg triplet "$triplet" --arg loader "${loader##*/}" \
    --arg manifest "manifest$sfx.json" --arg debs "debs$sfx" --arg busybox "bb$sfx" --arg gobin "gobin$sfx" \
    '{($system): {debianArch: $arch, triplet: $triplet, loader: $loader, manifest: $manifest, debs: $debs, busybox: $busybox, gobin: $gobin}}')")
done < <(jq -r '.[] | [.system, .goarch, .libdir, .loader] | @tsv' "$table")
for pass in "${passes[@]}"; do wait "$pass"; done
printf '%s\n' "${systems[@]}" | jq -s 'add' > "$work/systems.json"
mv "$work/systems.json" "$here/systems.json"
echo "regen.sh: systems.json: $(jq -r 'keys | join(" and ")' "$here/systems.json")"

# The fixed-output hashes (see debian.nix): each package of architecture
# "all" is built as an ordinary derivation for this machine, in a
# throwaway store, and its NAR hash is the hash of the fixed-output one.
host=$(jq -r --arg arch "$(dpkg --print-architecture)" '.[] | select(.goarch == $arch) | .system' "$table")
mkdir -p "$work/nix"
printf 'build-users-group =\nsubstituters =\nsandbox = true\n' > "$work/nix/nix.conf"
nixIn() { NIX_CONF_DIR=$work/nix HOME=$work XDG_CACHE_HOME=$work/cache NIX_REMOTE='' "$@"; }
universe="import $here { system = \"$host\"; }"
hashes=()
for name in $(nixIn nix-instantiate --store "$work/store" --eval --json --expr "builtins.attrNames ($universe).noarchUnfixed" | jq -r '.[]'); do
  path=$(nixIn nix-build --store "$work/store" --no-out-link --expr "($universe).noarchUnfixed.\"$name\"")
  hash=$(nixIn nix-store --store "$work/store" --query --hash "$path")
  hashes+=("$(jq -n --arg name "$name" --arg hash "${hash#sha256:}" '{($name): $hash}')")
  echo "regen.sh: $name is the same on every system: NAR sha256 ${hash#sha256:}"
done
printf '%s\n' "${hashes[@]}" | jq -s 'add // {}' > "$work/noarch.json"
mv "$work/noarch.json" "$here/noarch.json"
