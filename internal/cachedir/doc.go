// Package cachedir names the parts of nixlayer's cache directory once, in
// the manner of go-containerregistry's layout.Path: a Dir is the
// directory, and each of its methods gives the path of one part, so that
// the build (internal/pipeline), the update (internal/update) and the CLI
// never spell the layout themselves.
//
//	~/.cache/nixlayer/          Default, or --cache, or NIXLAYER_CACHE
//	  CACHEDIR.TAG              marks it as a cache (Tag, TagContent, IsCache)
//	  blobs/                    compressed store paths and layer digests (Blobs, for image.OpenCache)
//	  catalog/                  recorded catalogs (Catalogs, for catalog.Source.Dir)
//	  eval/<key>.json           what Nix said of a build's inputs (Record)
//	  eval/files.json           the sums of a nixpkgs directory's files (FileSums)
//	  base-layers/              the layers of base images from registries (BaseLayers)
//
// Everything in it can be made again: removing it costs time, never a
// result. The layout is that of the caches nixlayer has always written,
// so existing caches keep working. The package only names: apart from
// IsCache, which looks for a tag, it touches no file, and it imports
// nothing of nixlayer's, so that any package (internal/flake among them)
// may use it without climbing a floor.
//
//	cache := cachedir.Dir("/home/me/.cache/nixlayer")
//	blobs, err := image.OpenCache(cache.Blobs())
package cachedir
