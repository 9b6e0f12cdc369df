package nix

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// hashSizes holds the digest size in bytes of each hash algorithm Nix knows.
var hashSizes = map[string]int{
	"md5":    16,
	"sha1":   20,
	"sha256": 32,
	"sha512": 64,
}

// ToSRI converts a hash in any textual form that Nix prints into the SRI form
// "<algorithm>-<base64>", for example "sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4=".
//
// It accepts SRI hashes (which it checks and returns in canonical form) and
// hashes of the form "<algorithm>:<digest>" whose digest is in base 16, in
// Nix's base 32 or in base 64, told apart by their length as Nix does.
// Nix 2.3 printed narHash as "sha256:<base32>"; Nix 2.4 and later print SRI.
func ToSRI(hash string) (string, error) {
	algo, digest, err := parseHash(hash)
	if err != nil {
		return "", err
	}
	return sriString(algo, digest), nil
}

// parseHash parses an SRI or "<algorithm>:<digest>" hash into its algorithm
// and raw digest.
func parseHash(hash string) (algo string, digest []byte, err error) {
	if a, rest, ok := strings.Cut(hash, ":"); ok {
		digest, err := decodeDigest(a, "", rest)
		if err != nil {
			return "", nil, fmt.Errorf("invalid hash %q: %w", hash, err)
		}
		return a, digest, nil
	}
	if a, rest, ok := strings.Cut(hash, "-"); ok {
		digest, err := decodeDigest(a, "base64", rest)
		if err != nil {
			return "", nil, fmt.Errorf("invalid SRI hash %q: %w", hash, err)
		}
		return a, digest, nil
	}
	return "", nil, fmt.Errorf("invalid hash %q: want \"<algorithm>-<base64>\" or \"<algorithm>:<digest>\"", hash)
}

// decodeDigest decodes the digest s of a hash made with algo. The format is
// one of "base16", "nix32" (also spelled "base32"), "base64" or "sri" (base
// 64 with or without the "<algo>-" prefix); "" picks the format from the
// length of s.
func decodeDigest(algo, format, s string) ([]byte, error) {
	size, ok := hashSizes[algo]
	if !ok {
		return nil, fmt.Errorf("unknown hash algorithm %q", algo)
	}
	b16, b32, b64 := hex.EncodedLen(size), nix32EncodedLen(size), base64.StdEncoding.EncodedLen(size)
	if format == "" {
		switch len(s) {
		case b16:
			format = "base16"
		case b32:
			format = "nix32"
		case b64:
			format = "base64"
		default:
			return nil, fmt.Errorf("%s digest has length %d, want %d (base 16), %d (base 32) or %d (base 64)",
				algo, len(s), b16, b32, b64)
		}
	}
	switch format {
	case "base16":
		if len(s) != b16 {
			return nil, fmt.Errorf("base-16 %s digest has length %d, want %d", algo, len(s), b16)
		}
		d, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base-16 digest: %w", err)
		}
		return d, nil
	case "nix32", "base32":
		return decodeNix32(s, size)
	case "sri":
		return decodeDigest(algo, "base64", strings.TrimPrefix(s, algo+"-"))
	case "base64":
		if len(s) != b64 {
			return nil, fmt.Errorf("base-64 %s digest has length %d, want %d", algo, len(s), b64)
		}
		d, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base-64 digest: %w", err)
		}
		if len(d) != size {
			return nil, fmt.Errorf("base-64 %s digest decodes to %d bytes, want %d", algo, len(d), size)
		}
		return d, nil
	default:
		return nil, fmt.Errorf("unknown hash format %q", format)
	}
}

// sriString formats a digest as an SRI hash.
func sriString(algo string, digest []byte) string {
	return algo + "-" + base64.StdEncoding.EncodeToString(digest)
}
