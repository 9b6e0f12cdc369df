package layers

import "fmt"

// DefaultMaxLayers is the number of layers an image may have when
// [Budget.MaxLayers] is 0. Docker and containerd accept far more, but some
// registries and older runtimes stop at [MaxImageLayers]; 100 leaves room
// below that, such as for the layers of a base image.
const DefaultMaxLayers = 100

// MaxImageLayers is the number of layers at which some registries and
// older runtimes stop.
const MaxImageLayers = 127

// MinLayers is the fewest layers of nixlayer's own an image can have: a
// store layer for the catalog's paths, one for the rest, and the
// customisation layer.
const MinLayers = 3

// DefaultLargePath is the NAR size, 64 MiB, from which a store path gets a
// layer of its own when [Budget.LargePath] is 0.
const DefaultLargePath int64 = 64 << 20

// Budget limits the layers of an image.
type Budget struct {
	// MaxLayers is the number of layers of the whole image, the
	// customisation layers included. 0 means [DefaultMaxLayers].
	MaxLayers int `json:"maxLayers"`
	// Reserved is the number of layers kept for customisation (users,
	// configuration files); the store layers get MaxLayers-Reserved. It
	// is at least 1, whatever is set: every nixlayer image has its
	// customisation layer, so the whole image never has more than
	// MaxLayers.
	Reserved int `json:"reserved"`
	// LargePath is the NAR size from which a store path gets a layer of its
	// own, rather than sharing one with paths of the same signature. 0
	// means [DefaultLargePath]; a negative value disables the split.
	LargePath int64 `json:"largePath"`
}

// resolve returns b with its defaults filled in, or an error if b leaves
// fewer than two store layers: one for the catalog and one for the rest.
func (b Budget) resolve() (Budget, error) {
	if b.MaxLayers == 0 {
		b.MaxLayers = DefaultMaxLayers
	}
	if b.LargePath == 0 {
		b.LargePath = DefaultLargePath
	}
	if b.MaxLayers < 0 || b.Reserved < 0 {
		return b, fmt.Errorf("checking the layer budget: MaxLayers %d and Reserved %d must not be negative", b.MaxLayers, b.Reserved)
	}
	b.Reserved = max(b.Reserved, 1)
	if b.MaxLayers-b.Reserved < 2 {
		return b, fmt.Errorf("checking the layer budget: %d layers with %d reserved leave fewer than 2 for the store", b.MaxLayers, b.Reserved)
	}
	return b, nil
}

// On returns the budget of an image put on a base image of n layers: the
// whole image, the base's layers included, keeps within [MaxImageLayers],
// so the budget shrinks when the base leaves less room than MaxLayers
// asks for, and the catalog merges sooner. A base of more than
// [MaxImageLayers] - [MinLayers] layers leaves too little room, which the
// planner refuses.
func (b Budget) On(n int) Budget {
	if b.MaxLayers == 0 {
		b.MaxLayers = DefaultMaxLayers
	}
	b.MaxLayers = min(b.MaxLayers, MaxImageLayers-n)
	return b
}

// storeLayers returns how many layers the store paths of an image may use.
func (b Budget) storeLayers() int { return b.MaxLayers - b.Reserved }

// isLarge reports whether a path of the given NAR size gets a layer of its
// own.
func (b Budget) isLarge(size int64) bool { return b.LargePath > 0 && size >= b.LargePath }
