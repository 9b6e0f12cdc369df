# deb.sh unpacks Debian packages into $out with a Nix-style layout (bin, lib,
# libexec, share, etc) and points every ELF file at store paths: the
# interpreter at $glibc's loader ($loader, such as ld-linux-aarch64.so.1) and
# the rpath at $out's library directories and $depLibs. $triplet is the
# multiarch triplet of the Debian architecture, such as aarch64-linux-gnu.
# With $noarch set (packages of architecture "all", which hold no ELF file),
# symbolic links stay relative, so that $out names no store path, not even
# its own, and is the same on every system. It runs under busybox sh, from
# $bbdir.
set -eu
PATH=$bbdir
root=$PWD/root
mkdir -p "$root" "$out"

for deb in $debs; do
  rm -rf unpack && mkdir unpack
  (cd unpack && ar x "$deb" data.tar.xz)
  unxz -c unpack/data.tar.xz | tar -x -C "$root"
done

# Make every symlink absolute in the Debian namespace, so moving files below
# cannot break relative targets (without $noarch; see below).
normalise() { echo "$1" | awk -F/ '{ n = 0; for (i = 1; i <= NF; i++) { if ($i == "" || $i == ".") continue; if ($i == "..") { if (n > 0) n--; continue } p[++n] = $i } s = ""; for (i = 1; i <= n; i++) s = s "/" p[i]; print (s == "" ? "/" : s) }'; }
[ -n "${noarch:-}" ] || find "$root" -type l | while read -r l; do
  t=$(readlink "$l")
  case "$t" in /*) ;; *) t=$(normalise "$(dirname "${l#$root}")/$t") ;; esac
  ln -sfn "$t" "$l"
done

# Where a Debian path lands in $out (empty: dropped).
map() {
  case "$1" in
    /bin/*|/sbin/*|/usr/bin/*|/usr/sbin/*) echo "bin/${1##*/}" ;;
    /lib/"$triplet"/*) echo "lib/${1#/lib/"$triplet"/}" ;;
    /usr/lib/"$triplet"/*) echo "lib/${1#/usr/lib/"$triplet"/}" ;;
    /lib64/*) echo "" ;;
    /usr/lib/*) echo "lib/${1#/usr/lib/}" ;;
    /lib/*) echo "lib/${1#/lib/}" ;;
    /usr/libexec/*) echo "libexec/${1#/usr/libexec/}" ;;
    /usr/share/doc/*|/usr/share/man/*|/usr/share/info/*|/usr/share/lintian/*|/usr/share/locale/*) echo "" ;;
    /usr/share/*) echo "share/${1#/usr/share/}" ;;
    /etc/*) echo "etc/${1#/etc/}" ;;
    *) echo "" ;;
  esac
}

merge() { if [ -d "$1" ]; then mkdir -p "$2"; cp -R "$1"/. "$2"/; fi; }
merge "$root/bin" "$out/bin"; merge "$root/sbin" "$out/bin"
merge "$root/usr/bin" "$out/bin"; merge "$root/usr/sbin" "$out/bin"
merge "$root/lib/$triplet" "$out/lib"; merge "$root/usr/lib/$triplet" "$out/lib"
for d in "$root"/lib/* "$root"/usr/lib/*; do
  [ -d "$d" ] || continue
  [ "${d##*/}" = "$triplet" ] && continue
  merge "$d" "$out/lib/${d##*/}"
done
merge "$root/usr/libexec" "$out/libexec"
merge "$root/etc" "$out/etc"
for d in "$root"/usr/share/*; do
  [ -d "$d" ] || continue
  case "${d##*/}" in doc|man|info|lintian|locale) continue ;; esac
  merge "$d" "$out/share/${d##*/}"
done
chmod -R u+w "$out"

# Re-point the (now absolute, Debian-namespace) symlinks into $out.
[ -n "${noarch:-}" ] || find "$out" -type l | while read -r l; do
  t=$(readlink "$l")
  case "$t" in "$NIX_STORE"/*) continue ;; esac
  m=$(map "$t")
  if [ -n "$m" ]; then ln -sfn "$out/$m" "$l"; else rm "$l"; fi
done
# A package of architecture "all" keeps Debian's links as they are:
# relative ones, and absolute ones outside the store (tzdata's
# zoneinfo/localtime links to /etc/localtime, as nixpkgs' does).
if [ -n "${noarch:-}" ]; then
  find "$out" -type l | while read -r l; do
    case "$(readlink "$l")" in "$NIX_STORE"/*) echo "deb.sh: $l links into the store, to $(readlink "$l")" >&2; exit 1 ;; esac
  done
fi

if [ -n "${patchelf:-}" ]; then
  pe() { "$glibc/lib/$loader" --library-path "$glibc/lib:$tools/lib" "$tools/bin/patchelf" "$@"; }
  isElf() { [ "$(head -c 4 "$1" | tail -c 3)" = ELF ]; }
  rpath=$(find "$out" -type f -name '*.so*' | while read -r f; do dirname "$f"; done | sort -u | tr '\n' ':')
  for d in $depLibs; do rpath="$rpath$d:"; done
  rpath=${rpath%:}
  find "$out" -type f \( -perm -u+x -o -name '*.so*' \) | while read -r f; do
    isElf "$f" || continue
    if pe --print-interpreter "$f" >/dev/null 2>&1; then
      pe --set-interpreter "$glibc/lib/$loader" "$f"
    fi
    if [ -n "$(pe --print-needed "$f" 2>/dev/null)" ]; then
      pe --set-rpath "$rpath" "$f"
    fi
  done
  # Every program must find all of its libraries in the store.
  for f in "$out"/bin/*; do
    [ -f "$f" ] && isElf "$f" && pe --print-interpreter "$f" >/dev/null 2>&1 || continue
    if "$glibc/lib/$loader" --list "$f" | grep -q 'not found'; then
      echo "deb.sh: $f has unresolved libraries:" >&2
      "$glibc/lib/$loader" --list "$f" >&2
      exit 1
    fi
  done
fi

for p in $patches; do
  mkdir -p "$out/share/nixlayer/patches"
  cp "$p" "$out/share/nixlayer/patches/$(basename "$p" | cut -d- -f2-)"
done

eval "${postInstall:-}"
