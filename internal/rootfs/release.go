package rootfs

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// osRelease is /etc/os-release, as os-release(5) defines it, so that the
// devcontainer CLI (which reads it on every start) and other tools
// identify the image: nixlayer, its kind, and the nixpkgs it was built
// from.
func osRelease(in *Input) string {
	v := versionID(in.Nixpkgs)
	return fmt.Sprintf(`NAME="nixlayer"
ID=nixlayer
VERSION_ID=%s
VERSION="%s (nixpkgs %s)"
VARIANT="%s"
VARIANT_ID=%s
PRETTY_NAME="nixlayer %s (nixpkgs %s)"
HOME_URL="https://github.com/nixlayer/nixlayer"
`, v, v, in.Nixpkgs, in.Kind, in.Kind, in.Kind, v)
}

// versionID is the short form of a nixpkgs label (a revision, or a
// narHash such as "sha256-0Xnc…="), in the characters VERSION_ID allows:
// 0-9, a-z, ".", "_" and "-".
func versionID(label string) string {
	if sri, ok := strings.CutPrefix(label, "sha256-"); ok {
		if sum, err := base64.StdEncoding.DecodeString(sri); err == nil {
			label = hex.EncodeToString(sum)
		}
	}
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		if b.Len() == 12 {
			break
		}
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}
