# Backports the fix for CVE-2024-5535 (SSL_select_next_proto buffer
# overread) to OpenSSL 3.0 releases before 3.0.15.
#
# The patch is only added to the versions it is for: on a nixpkgs whose
# OpenSSL already has the fix, this overlay changes nothing, so nothing is
# rebuilt. Patching OpenSSL rebuilds everything that depends on it.
final: prev:
let
  inherit (prev) lib;
  affected = version: lib.versionAtLeast version "3.0" && lib.versionOlder version "3.0.15";
in
{
  openssl = prev.openssl.overrideAttrs (old: {
    patches = (old.patches or [ ]) ++ lib.optional (affected old.version) ./CVE-2024-5535.patch;
  });
}
