// Package image assembles OCI images from Nix store paths with
// go-containerregistry, reproducibly and incrementally.
//
// An image is made of store layers, each holding whole store paths under
// nix/store/, and customisation layers made from a list of files (such as
// /etc/passwd). Builder.StoreLayers makes store layers, FilesLayer makes a
// customisation layer, StoreLayer and CustomisationLayer say what the
// image says of each (the store paths a layer holds, its history entry),
// Assemble puts layers and a Config together, and WriteLayout or
// WriteArchive write the image:
//
//	cache, err := image.OpenCache(filepath.Join(cacheDir, "layers"))
//	if err != nil {
//		return err
//	}
//	b := &image.Builder{Cache: cache} // store files are dated 1970-01-01T00:00:01Z, as in Nix
//	stores, err := b.StoreLayers(ctx, [][]image.StorePath{
//		{{Path: "/nix/store/…-glibc-2.40", NarHash: "sha256-…"}},
//		{{Path: "/nix/store/…-hello-2.12.2", NarHash: "sha256-…"}},
//	})
//	if err != nil {
//		return err
//	}
//	etc, err := image.FilesLayer([]image.File{
//		{Path: "/etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/root:/bin/sh\n")},
//	}, pin.Time)
//	if err != nil {
//		return err
//	}
//	img, err := image.Assemble(image.Config{
//		Architecture: "amd64",
//		Cmd:          []string{"/nix/store/…-hello-2.12.2/bin/hello"},
//		Created:      pin.Time,
//	}, []image.Layer{
//		image.StoreLayer(stores[0], "catalog", []string{"/nix/store/…-glibc-2.40"}),
//		image.StoreLayer(stores[1], "extra", []string{"/nix/store/…-hello-2.12.2"}),
//		image.CustomisationLayer(etc, "runtime"),
//	})
//	if err != nil {
//		return err
//	}
//	return image.WriteArchive(ctx, img, "hello.tar", "hello:latest")
//
// # Base images
//
// OpenImage opens an image to build on, from an OCI layout, an image
// archive (OCI, docker, or both, as WriteArchive writes) or a registry,
// and AssembleOn puts layers on it: its layers come first, blob for blob,
// and its config is kept where Config sets nothing.
//
// # Reproducibility
//
// The same inputs give the same bytes, on any machine, in any process, with
// any number of jobs: tar entries are sorted (a depth-first walk visiting
// names in byte order), owned by 0:0 without user or group names, and
// modified at one fixed time, the Builder's Epoch for store layers and the
// FilesLayer's for customisation layers (the zero time stands for
// 1970-01-01T00:00:01Z, as in the Nix store, which nixlayer uses for every
// store layer so that a store path is the same blob whatever the pin).
// Store layers keep the permission bits of the store but never setuid,
// setgid or sticky bits, keep symbolic links, and never hold hard links:
// the hard links of an optimised store are machine state, so a file linked
// elsewhere is stored again in full. Gzip headers carry no name or time.
//
// # The cache
//
// Compressing is the slow step, so a Cache keeps every store path
// compressed on its own, as a gzip member of its tar entries without the
// end-of-archive trailer. A store layer's blob is the concatenation of a
// member holding the entries nix/ and nix/store/, the members of its store
// paths and a member holding the tar trailer: valid gzip (a multi-member
// stream, as in estargz) that decompresses to one valid tar archive. A
// rebuild that adds a package compresses only the new store paths, and a
// rebuild of the same layers reads no store path at all, since the cache
// also keeps the digests of every layer it has computed. Stats and
// Progress report what was compressed and what reused.
//
// Cache entries are written atomically and checked when read, so a killed
// build never leaves an entry that a later build trusts.
//
// # Streaming and cancellation
//
// No layer or store path is ever held in memory: files are streamed
// through tar and gzip into the cache, and cache files are streamed into
// the output. Outputs are written to a temporary file or directory and
// renamed into place, so that an error or a cancelled context leaves no
// partial output and an existing output untouched.
package image
