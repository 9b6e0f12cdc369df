package nix

import (
	"fmt"
	"slices"
)

// Sub returns the closure of roots within c: the roots and every path of c
// that they refer to, directly or not, with the same path infos. It fails
// if a root is not in c.
func (c *Closure) Sub(roots ...string) (*Closure, error) {
	seen := map[string]bool{}
	stack := slices.Clone(roots)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		if _, ok := c.infos[p]; !ok {
			return nil, fmt.Errorf("closure: %s is not in the closure", p)
		}
		seen[p] = true
		stack = append(stack, c.refs[p]...)
	}
	infos := make([]PathInfo, 0, len(seen))
	for _, p := range c.paths {
		if seen[p] {
			infos = append(infos, c.infos[p])
		}
	}
	return NewClosure(infos)
}
