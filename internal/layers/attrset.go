package layers

import (
	"encoding/binary"
	"math/bits"
)

// attrSet is a set of attribute indices stored as a bit set. All the sets
// compared with one another have the same length, fixed by the number of
// attributes in play.
type attrSet []uint64

// newAttrSet returns an empty set for indices below n.
func newAttrSet(n int) attrSet { return make(attrSet, (n+63)/64) }

// add puts index i in s.
func (s attrSet) add(i int) { s[i/64] |= 1 << (uint(i) % 64) }

// has reports whether index i is in s.
func (s attrSet) has(i int) bool { return s[i/64]&(1<<(uint(i)%64)) != 0 }

// addAll puts every index of t in s.
func (s attrSet) addAll(t attrSet) {
	for i := range s {
		s[i] |= t[i]
	}
}

// union returns a new set holding the indices of s and t.
func (s attrSet) union(t attrSet) attrSet {
	u := make(attrSet, len(s))
	for i := range s {
		u[i] = s[i] | t[i]
	}
	return u
}

// len returns the number of indices in s.
func (s attrSet) len() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// lenMinus returns the number of indices in s but not in t.
func (s attrSet) lenMinus(t attrSet) int {
	n := 0
	for i, w := range s {
		n += bits.OnesCount64(w &^ t[i])
	}
	return n
}

// intersects reports whether s and t share an index.
func (s attrSet) intersects(t attrSet) bool {
	for i, w := range s {
		if w&t[i] != 0 {
			return true
		}
	}
	return false
}

// empty reports whether s holds no index.
func (s attrSet) empty() bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

// key returns a string that identifies the members of s, for use as a map
// key.
func (s attrSet) key() string {
	b := make([]byte, 0, 8*len(s))
	for _, w := range s {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return string(b)
}

// names returns the names of the indices in s, in index order; with names
// sorted, the result is sorted.
func (s attrSet) names(all []string) []string {
	out := make([]string, 0, s.len())
	for i, name := range all {
		if s.has(i) {
			out = append(out, name)
		}
	}
	return out
}
