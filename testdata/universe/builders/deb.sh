# deb.sh unpacks Debian packages into $out with a Nix-style layout (bin, lib,
# libexec, share, etc) and points every ELF file at store paths: the
# interpreter at $glibc's loader and the rpath at $out's library directories
# and $depLibs. It runs under busybox sh; $bb is the busybox binary.
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
# cannot break relative targets.
normalise() { echo "$1" | awk -F/ '{ n = 0; for (i = 1; i <= NF; i++) { if ($i == "" || $i == ".") continue; if ($i == "..") { if (n > 0) n--; continue } p[++n] = $i } s = ""; for (i = 1; i <= n; i++) s = s "/" p[i]; print (s == "" ? "/" : s) }'; }
find "$root" -type l | while read -r l; do
  t=$(readlink "$l")
  case "$t" in /*) ;; *) t=$(normalise "$(dirname "${l#$root}")/$t") ;; esac
  ln -sfn "$t" "$l"
done

# Where a Debian path lands in $out (empty: dropped).
map() {
  case "$1" in
    /bin/*|/sbin/*|/usr/bin/*|/usr/sbin/*) echo "bin/${1##*/}" ;;
    /lib/x86_64-linux-gnu/*) echo "lib/${1#/lib/x86_64-linux-gnu/}" ;;
    /usr/lib/x86_64-linux-gnu/*) echo "lib/${1#/usr/lib/x86_64-linux-gnu/}" ;;
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
merge "$root/lib/x86_64-linux-gnu" "$out/lib"; merge "$root/usr/lib/x86_64-linux-gnu" "$out/lib"
for d in "$root"/lib/* "$root"/usr/lib/*; do
  [ -d "$d" ] || continue
  case "${d##*/}" in x86_64-linux-gnu) continue ;; esac
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
find "$out" -type l | while read -r l; do
  t=$(readlink "$l")
  case "$t" in "$NIX_STORE"/*) continue ;; esac
  m=$(map "$t")
  if [ -n "$m" ]; then ln -sfn "$out/$m" "$l"; else rm "$l"; fi
done

if [ -n "${patchelf:-}" ]; then
  pe() { "$glibc/lib/ld-linux-x86-64.so.2" --library-path "$glibc/lib:$tools/lib" "$tools/bin/patchelf" "$@"; }
  isElf() { [ "$(head -c 4 "$1" | tail -c 3)" = ELF ]; }
  rpath=$(find "$out" -type f -name '*.so*' | while read -r f; do dirname "$f"; done | sort -u | tr '\n' ':')
  for d in $depLibs; do rpath="$rpath$d:"; done
  rpath=${rpath%:}
  find "$out" -type f \( -perm -u+x -o -name '*.so*' \) | while read -r f; do
    isElf "$f" || continue
    if pe --print-interpreter "$f" >/dev/null 2>&1; then
      pe --set-interpreter "$glibc/lib/ld-linux-x86-64.so.2" "$f"
    fi
    if [ -n "$(pe --print-needed "$f" 2>/dev/null)" ]; then
      pe --set-rpath "$rpath" "$f"
    fi
  done
  # Every program must find all of its libraries in the store.
  for f in "$out"/bin/*; do
    [ -f "$f" ] && isElf "$f" && pe --print-interpreter "$f" >/dev/null 2>&1 || continue
    if "$glibc/lib/ld-linux-x86-64.so.2" --list "$f" | grep -q 'not found'; then
      echo "deb.sh: $f has unresolved libraries:" >&2
      "$glibc/lib/ld-linux-x86-64.so.2" --list "$f" >&2
      exit 1
    fi
  done
fi

for p in $patches; do
  mkdir -p "$out/share/nixlayer/patches"
  cp "$p" "$out/share/nixlayer/patches/$(basename "$p" | cut -d- -f2-)"
done

eval "${postInstall:-}"
