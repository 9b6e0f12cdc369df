package nix

import (
	"fmt"
	"strings"
)

// nix32Alphabet is the alphabet of Nix's own base-32 encoding. It omits the
// letters e, o, u and t so that encoded hashes never spell words.
const nix32Alphabet = "0123456789abcdfghijklmnpqrsvwxyz"

// nix32Index maps a byte to its value in nix32Alphabet, or to 0xff when the
// byte is not part of the alphabet.
var nix32Index = func() (idx [256]byte) {
	for i := range idx {
		idx[i] = 0xff
	}
	for i := 0; i < len(nix32Alphabet); i++ {
		idx[nix32Alphabet[i]] = byte(i)
	}
	return idx
}()

// nix32EncodedLen returns the number of characters Nix uses to encode n
// bytes in base 32.
func nix32EncodedLen(n int) int {
	if n == 0 {
		return 0
	}
	return (n*8-1)/5 + 1
}

// encodeNix32 encodes b in Nix's base 32. Unlike RFC 4648, Nix reads the
// input as one little-endian number and prints its 5-bit digits from the most
// significant to the least significant, so the first character holds the top
// bits of the last byte.
func encodeNix32(b []byte) string {
	n := nix32EncodedLen(len(b))
	var s strings.Builder
	s.Grow(n)
	for d := n - 1; d >= 0; d-- {
		bit := d * 5
		i, j := bit/8, uint(bit%8)
		c := b[i] >> j
		if i+1 < len(b) {
			c |= b[i+1] << (8 - j)
		}
		s.WriteByte(nix32Alphabet[c&0x1f])
	}
	return s.String()
}

// decodeNix32 decodes s, which must encode exactly size bytes in Nix's base
// 32, rejecting characters outside the alphabet and digits whose bits do not
// fit in size bytes.
func decodeNix32(s string, size int) ([]byte, error) {
	if len(s) != nix32EncodedLen(size) {
		return nil, fmt.Errorf("invalid base-32 hash %q: length %d, want %d", s, len(s), nix32EncodedLen(size))
	}
	out := make([]byte, size)
	for d := 0; d < len(s); d++ {
		c := s[len(s)-1-d]
		v := nix32Index[c]
		if v == 0xff {
			return nil, fmt.Errorf("invalid base-32 hash %q: character %q is not in the Nix base-32 alphabet", s, c)
		}
		bit := d * 5
		i, j := bit/8, uint(bit%8)
		out[i] |= v << j
		carry := v >> (8 - j)
		if i+1 < size {
			out[i+1] |= carry
		} else if carry != 0 {
			return nil, fmt.Errorf("invalid base-32 hash %q: value does not fit in %d bytes", s, size)
		}
	}
	return out, nil
}
