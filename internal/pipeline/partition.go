package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"os"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// Partition reads the catalog for im's system and overlays as Build does
// (from its record in the cache directory when an earlier build made
// one, or else from Nix), in a work directory under tmp, and partitions
// it as Build does, for nixlayer sets --stats.
func (im *Image) Partition(ctx context.Context, d *nix.Driver, src fs.FS, tmp string) (layers.Catalog, *layers.Partitioning, error) {
	dir, err := os.MkdirTemp(tmp, "nixlayer-")
	if err != nil {
		return layers.Catalog{}, nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer os.RemoveAll(dir)
	c, err := im.catalog(ctx, d, src, dir)
	if err != nil {
		return layers.Catalog{}, nil, err
	}
	part, err := im.catalogStep().Partition(c.Catalog)
	return c.Catalog, part, err
}
