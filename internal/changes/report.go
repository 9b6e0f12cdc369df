package changes

import (
	"time"

	"github.com/nixlayer/nixlayer/internal/version"
)

// Report is what a nixpkgs update changes. Its JSON is changes.json.
type Report struct {
	// Changed tells whether the pin moved (or the input's URL changed).
	Changed bool `json:"changed"`
	// Old and New are the pins before and after.
	Old Pin `json:"old"`
	New Pin `json:"new"`
	// System is the Nix system the packages were evaluated for.
	System string `json:"system"`
	// Versions are the catalog attributes whose version changed, ordered
	// by class (major first), then by attribute.
	Versions []VersionChange `json:"versions"`
	// Added and Removed are the catalog attributes that only the new pin,
	// or only the old one, has as packages that evaluate.
	Added   []Attr `json:"added"`
	Removed []Attr `json:"removed"`
	// Rebuilt are the catalog attributes with the same version at both
	// pins but another out path, sorted.
	Rebuilt []string `json:"rebuilt"`
	// Sets are the closure sizes of every built-in set, in catalog order.
	Sets []SetSize `json:"sets"`
	// Images are the bytes each standard image's users pull again.
	Images []Image `json:"images"`
	// Vulnerabilities, when a scanner ran, are the findings fixed and
	// brought.
	Vulnerabilities *Vulnerabilities `json:"vulnerabilities,omitempty"`
}

// Pin is one end of the update: where the nixpkgs input points and the
// commit it is locked to.
type Pin struct {
	// URL is the input's URL in flake.nix, such as
	// github:NixOS/nixpkgs/nixos-26.05-small.
	URL string `json:"url"`
	// Ref is the branch it follows, such as nixos-26.05-small, or "".
	Ref string `json:"ref,omitempty"`
	// Rev is the locked commit.
	Rev string `json:"rev"`
	// NarHash is the locked source's hash.
	NarHash string `json:"narHash"`
	// LastModified is the commit's time, in seconds since 1970.
	LastModified int64 `json:"lastModified"`
}

// Time is the pin's commit time, in UTC.
func (p Pin) Time() time.Time { return time.Unix(p.LastModified, 0).UTC() }

// Short is the commit's first 8 digits.
func (p Pin) Short() string { return p.Rev[:min(len(p.Rev), 8)] }

// VersionChange is a catalog attribute whose version changed.
type VersionChange struct {
	Attr  string        `json:"attr"`
	Pname string        `json:"pname"`
	Old   string        `json:"old"`
	New   string        `json:"new"`
	Class version.Class `json:"class"`
}

// Attr is a catalog attribute that one pin has and the other lacks.
type Attr struct {
	Attr    string `json:"attr"`
	Pname   string `json:"pname,omitempty"`
	Version string `json:"version,omitempty"`
	// Reason says why the other pin lacks it: ReasonMissing,
	// ReasonNotPackage or ReasonFailing.
	Reason string `json:"reason"`
}

// Why a pin lacks an attribute that the other has.
const (
	ReasonMissing    = "missing"
	ReasonNotPackage = "not a package"
	ReasonFailing    = "does not evaluate"
)

// SetSize is the closure size of one set at both pins: the NAR size of the
// union of the closures of its attributes.
type SetSize struct {
	Set      string `json:"set"`
	Old      int64  `json:"old"`
	New      int64  `json:"new"`
	Delta    int64  `json:"delta"`
	OldPaths int    `json:"oldPaths"`
	NewPaths int    `json:"newPaths"`
}

// Image is what the users of one standard image pull again.
type Image struct {
	// Name names the image, such as "devcontainer + python".
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Sets are the sets it is built from.
	Sets []string `json:"sets"`
	// Layers is the number of its store layers at the new pin, and
	// NewLayers the number of those that the old image lacks.
	Layers    int `json:"layers"`
	NewLayers int `json:"newLayers"`
	// Bytes is the compressed size of the new layers: what a user of the
	// old image pulls again, apart from the customisation layer.
	Bytes int64 `json:"bytes"`
	// NarBytes and TotalNarBytes are the uncompressed sizes of the new
	// layers and of every store layer.
	NarBytes      int64 `json:"narBytes"`
	TotalNarBytes int64 `json:"totalNarBytes"`
	// Unplanned, when set, says why the image could not be planned at
	// one of the pins (it lacks an attribute there); the counts are then
	// zero.
	Unplanned string `json:"unplanned,omitempty"`
}
