package pipeline

import (
	"time"

	"github.com/nixlayer/nixlayer/internal/layers"
)

// Summary is what a build reports.
type Summary struct {
	Kind     string   `json:"kind"`
	Platform string   `json:"platform"`
	Digest   string   `json:"digest"`
	Sets     []string `json:"sets"`
	// Added are the attributes the kind added to the sets, such as what
	// an editor needs of a devcontainer.
	Added           []string `json:"added,omitempty"`
	Layers          int      `json:"layers"`
	StoreLayers     int      `json:"storeLayers"`
	Size            int64    `json:"size"`
	ClosurePaths    int      `json:"closurePaths"`
	ClosureSize     int64    `json:"closureSize"`
	PathsCompressed int      `json:"pathsCompressed"`
	PathsReused     int      `json:"pathsReused"`
	BytesCompressed int64    `json:"bytesCompressed"`
	BytesReused     int64    `json:"bytesReused"`
	Bloat           int64    `json:"bloat"`
	Merges          int      `json:"merges"`
	CatalogGroups   int      `json:"catalogGroups"`
	// CatalogHeadroom is how many more signature groups the catalog may
	// gain before the layer budget glues some together; when negative,
	// Glued names the groups that the budget glued into blocks.
	CatalogHeadroom int            `json:"catalogHeadroom"`
	Glued           []layers.Glued `json:"glued,omitempty"`
	CatalogRecorded bool           `json:"catalogRecorded"`
	Created         string         `json:"created"`
	// BaseDigest, BaseLayers and BaseSetuid describe the base image, if
	// any: its digest, its layers (first in the image) and its own setuid
	// and setgid files.
	BaseDigest string   `json:"baseDigest,omitempty"`
	BaseLayers int      `json:"baseLayers,omitempty"`
	BaseSetuid []string `json:"baseSetuid,omitempty"`
}

// NewSummary summarises b.
func NewSummary(b *Built) Summary {
	s := Summary{
		Kind: string(b.Kind), Platform: b.Platform.OCI, Digest: b.Digest, Sets: b.Sets, Added: b.Added,
		Layers: len(b.Layers.Layers) + 1, StoreLayers: len(b.Layers.Layers), Size: b.Size,
		ClosurePaths: b.Closure.Len(), ClosureSize: b.Closure.Total(),
		PathsCompressed: b.Stats.PathsCompressed, PathsReused: b.Stats.PathsReused,
		BytesCompressed: b.Stats.BytesCompressed, BytesReused: b.Stats.BytesReused,
		Bloat: b.Layers.Bloat, Merges: len(b.Partition.Merges) + len(b.Layers.Merges),
		CatalogGroups: b.Partition.Groups, CatalogHeadroom: b.Partition.Headroom(), Glued: b.Partition.Glued(),
		CatalogRecorded: b.CatalogRecorded,
		Created:         b.Epoch.Format(time.RFC3339),
	}
	if b.Base != nil {
		s.BaseDigest, s.BaseLayers, s.BaseSetuid = b.Base.Digest, b.Base.Layers, b.Base.Setuid
		s.Layers += b.Base.Layers
	}
	return s
}
