package nix

import (
	"encoding/hex"
	"strings"
	"testing"
)

// realHashes holds the same digests in Nix's base 32, base 16 and SRI form,
// as printed by Nix 2.8: "nix-store --query --hash", "nix hash to-base16" and
// "nix hash to-sri --type <algo> <base32>" on the NAR hashes of the store
// paths in testdata, and "nix hash file --type <algo>" on a file holding
// "hello\n".
var realHashes = []struct{ algo, base32, base16, sri string }{
	{"sha256", "0ppjq6brsdsryjnnqcqfldkvh3hw3c3s176bir7ahqzcx0zx8gbz", "7f3dd43fe8ec63a84e8ecb9ca0071b1c0eb867a30e336cadf459379d97c1f25e", "sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4="},
	{"sha256", "1jpg5v8rcf4d08rlpq51vnd1w800l64h34r0bw4vkb6z3qlk089k", "332130291edfacb9095f20930189a100201e9adda1e04b33028d3896d12eefca", "sha256-MyEwKR7frLkJXyCTAYmhACAemt2h4EszAo04ltEu78o="},
	{"sha256", "0kabchzjn49bdqa021vrppic5c9pr920glzlavxa257pi7k9agqp", "173f95e689f714a1fa56f4d30744ca37b1c2e2bd790701146e2b112b3f644b4d", "sha256-Fz+V5on3FKH6VvTTB0TKN7HC4r15BwEUbisRKz9kS00="},
	{"sha256", "08f8d8hryay76i5ifs5ssn91cxyaffm7c4lkghd6z0rywb3xn8zl", "f423dbc7e23e836f1a7c931276aa73ca771692d5ba68174b34c72b9f216ac821", "sha256-9CPbx+I+g28afJMSdqpzyncWktW6aBdLNMcrnyFqyCE="},
	{"sha256", "1az3n2xmj103qbccl4vx4d21kgw3nxinlk8in8dhmp858i200141", "810400444405dd0a1bb2114d6a63b783bf1944237d13cad8c2030459bbb0e3ab", "sha256-gQQAREQF3QobshFNamO3g78ZRCN9E8rYwgMEWbuw46s="},
	{"md5", "4425hx5d1mc9y39llj4k4nm55i", "b1946ac92492d2347c6235b4d2611184", "md5-sZRqySSS0jR8YjW00mERhA=="},
	{"sha1", "iwjz551fyw0cxcjgf4l6c879zabd6wpm", "f572d396fae9206628714fb2ce00f72e94f2258f", "sha1-9XLTlvrpIGYocU+yzgD3LpTyJY8="},
	{"sha256", "00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq", "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", "sha256-WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM="},
	{"sha512", "0lrc0dwnvipqviibf7qfm1y492qvjwb1zhkcyi05cndmva1mr5gjcgrnz1x36djmk0sfg8djd2n0qv68vib2jg590mwznar9jcjphp7", "e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629", "sha512-58IrmUxZ2c8rSOVJseJGZmNgRZMNPafBrLKZ0cO3+TH5Sq5B7dosKyB6NuEPi8uNRSI+VIePWzFufOO2vAGWKQ=="},
	// Bit order: the first base-32 digit holds the top bits of the last
	// byte, the last digit the low bits of the first byte.
	{"sha256", strings.Repeat("0", 52), strings.Repeat("00", 32), "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
	{"sha256", "1" + strings.Repeat("0", 51), strings.Repeat("00", 31) + "80", "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA="},
	{"sha256", strings.Repeat("0", 51) + "1", "01" + strings.Repeat("00", 31), "sha256-AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
}

func TestNix32(t *testing.T) {
	for _, h := range realHashes {
		raw, err := hex.DecodeString(h.base16)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeNix32(raw); got != h.base32 {
			t.Errorf("encodeNix32(%s) = %s, want %s", h.base16, got, h.base32)
		}
		got, err := decodeNix32(h.base32, len(raw))
		if err != nil || hex.EncodeToString(got) != h.base16 {
			t.Errorf("decodeNix32(%s) = %x, %v; want %s", h.base32, got, err, h.base16)
		}
	}
}

func TestToSRI(t *testing.T) {
	for _, h := range realHashes {
		for _, in := range []string{h.algo + ":" + h.base32, h.algo + ":" + h.base16, h.algo + ":" + strings.ToUpper(h.base16), h.sri,
			h.algo + ":" + strings.TrimPrefix(h.sri, h.algo+"-")} {
			got, err := ToSRI(in)
			if err != nil || got != h.sri {
				t.Errorf("ToSRI(%q) = %q, %v; want %q", in, got, err, h.sri)
			}
		}
	}
}

func TestToSRIErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "invalid hash"},
		{"0ppjq6brsdsryjnnqcqfldkvh3hw3c3s176bir7ahqzcx0zx8gbz", "invalid hash"},
		{"sha3:00", "unknown hash algorithm"},
		{"sha256:abc", "has length 3"},
		{"sha256:z" + strings.Repeat("0", 51), "does not fit in 32 bytes"}, // Nix says: invalid base-32 hash
		{"sha256:" + strings.Repeat("e", 52), "not in the Nix base-32 alphabet"},
		{"sha256:" + strings.Repeat("g", 64), "invalid base-16 digest"},
		{"sha256-" + strings.Repeat("A", 44), "decodes to 33 bytes"},
		{"sha256-AAAA", "has length 4"},
		{"sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l5=", "invalid base-64 digest"}, // non-zero padding bits
		{"md5-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4=", "has length 44"},
		{"sha256-sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4=", "has length 51"},
	}
	for _, tt := range tests {
		got, err := ToSRI(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ToSRI(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDecodeDigestFormats(t *testing.T) {
	h := realHashes[0]
	for format, s := range map[string]string{
		"base16": h.base16, "nix32": h.base32, "base32": h.base32,
		"base64": strings.TrimPrefix(h.sri, "sha256-"), "sri": h.sri,
	} {
		d, err := decodeDigest("sha256", format, s)
		if err != nil || sriString("sha256", d) != h.sri {
			t.Errorf("decodeDigest(sha256, %s, %s) = %x, %v", format, s, d, err)
		}
	}
	if _, err := decodeDigest("sha256", "base58", h.base16); err == nil || !strings.Contains(err.Error(), "unknown hash format") {
		t.Errorf("decodeDigest with format base58: %v, want unknown hash format", err)
	}
}
