// Package storelayers is the compression step of builds and updates: it
// compresses the store layers that the layer planner (internal/layers)
// laid out, from the store on disk, into the blob cache of nixlayer's
// cache directory (cachedir.Dir.Blobs, with image.Builder), and gives
// them as an image's layers, with what the image says of each
// (image.StoreLayer). A build (internal/pipeline) and an update's count
// of the bytes to pull again (internal/update) both take it, so that the
// update sizes the very blobs that a build makes.
//
//	c := storelayers.Compressor{Cache: cache, Store: driver.Root()}
//	ls, stats, err := c.Compress(ctx, plan.Layers, closure, catalog.Graph)
//	img, err := image.Assemble(cfg, append(ls, image.CustomisationLayer(etc, "runtime")))
package storelayers
