# standin.sh builds a stand-in package: one small bash script per program in
# $bins (after applying $patches to its template), busybox applets in
# $applets, the store paths in $refs recorded under nix-support (so they are
# references, as a real program's libraries are), and $sizeMiB of
# incompressible data so that a few paths are large, as toolchains are.
set -eu
PATH=$bbdir
mkdir -p "$out/bin" src
cat > src/main.sh <<'T'
#!@bash@/bin/bash
# @bin@ from @pname@ @version@: a stand-in from the nixlayer test universe.
echo "@bin@ (@pname@) @version@"
T
for p in $patches; do (cd src && patch -p1 < "$p"); done
for b in $bins; do
  sed -e "s|@bash@|$bash|g; s|@pname@|$pname|g; s|@version@|$version|g; s|@bin@|$b|g" src/main.sh > "$out/bin/$b"
  chmod 555 "$out/bin/$b"
done
for a in $applets; do ln -s "$bbdir/busybox" "$out/bin/$a"; done
if [ -n "$refs" ]; then
  mkdir -p "$out/nix-support"
  for r in $refs; do echo "$r"; done > "$out/nix-support/runtime-deps"
fi
if [ "$sizeMiB" -gt 0 ]; then
  mkdir -p "$out/share/$pname"
  f=$out/share/$pname/payload
  : > "$f"
  while [ "$(stat -c %s "$f")" -lt $((sizeMiB * 1048576)) ]; do cat "$blob" >> "$f"; done
  truncate -s $((sizeMiB * 1048576)) "$f"
fi
rmdir "$out/bin" 2>/dev/null || true
eval "${postInstall:-}"
