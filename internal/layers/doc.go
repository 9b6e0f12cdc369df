// Package layers decides which store paths go into which layer of an OCI
// image, so that images built from the same catalog share as many layers as
// possible. It is pure: it reads closure graphs and returns plans, and the
// same input always gives the same plan.
//
// # Why signatures
//
// A registry and a container runtime store a layer once, however many
// images refer to it, but only if the layer is the same blob: the same
// paths, byte for byte. Putting every store path in a layer of its own
// would share the most, but images may have only so many layers (about
// 127 in practice), and a catalog closure has thousands of paths.
// Grouping paths by popularity, as Nixery does, shares well, but which
// paths end up together then depends on the image, so two images with
// python312 may carry its closure in different layers.
//
// nixlayer builds images from a catalog: a fixed list of nixpkgs attributes
// (python312, git, jq, ...), pinned to one nixpkgs revision, of which each
// image takes some. The signature of a store path is the set of catalog
// attributes whose closure contains it. Two paths with the same signature
// are in exactly the same images (as far as catalog attributes go), so
// they can share a layer in all of them at no cost: such a layer is never
// bigger than an image needs, and it is the same in every image that has
// it. That last property, image independence, is what the planner keeps
// above all: a catalog layer is identical in every image that includes
// it, whatever else the image holds.
//
// # Partition: catalog level, once per pin
//
// [Partition] groups the catalog's paths by signature. A path of at least
// [Budget.LargePath] bytes (64 MiB by default) that shares its group with
// other paths leaves it for a group of its own, so that a large path is
// not downloaded again when a small neighbour changes. Each group becomes
// a [Block].
//
// If there are more groups than MaxLayers-Reserved-1 (one layer is kept
// for what is outside the catalog), Partition merges groups two at a
// time, always the pair with the least expected bloat. Images are made of
// sets: the built-in sets, the project's, and the attributes that each
// kind of image requires, which the caller passes to Partition (see
// [Set]). Let Sets(X) be the sets that hold an attribute of the signature
// of X, an attribute in no set counting as a set of its own; the cost of
// merging A and B is
//
//	cost(A, B) = Size(A)·|Sets(B)∖Sets(A)| + Size(B)·|Sets(A)∖Sets(B)|
//
// that is, each part's size weighted by the number of sets that would
// bring it in without needing it. Two groups that the same sets bring in
// are in the same images made of sets, so merging them costs nothing,
// however many attributes they differ by. Among equal costs, the same sum
// weighted by attributes decides, for images that also name single
// attributes (extra packages, or a set Partition was not told of), then
// the smaller result, then the pair whose first paths sort first. Only
// once no merge of zero cost is left does a merge put a large path with
// others: the split of large paths is undone last. A merged block's
// signature is the union of its parts'; every merge is recorded in
// [Partitioning.Merges]. Merging is the only source of bloat, and merges
// of zero cost give no image made of the sets any. The blocks depend on
// the sets only through merges: without one, every project gets the same
// blocks of a catalog.
//
// # Plan: image level, once per image
//
// Let R be the catalog attributes whose out path is in the image's
// closure: normally the catalog attributes the image asked for, but also
// one that an extra root depends on. [Plan] includes a block whole, as a
// "catalog" layer, when the block's signature meets R. A block's paths
// that the image lacks are bloat, which only a merged block can have.
// Every image path in the closure of R is in such a block, and the layer
// is the block itself, the same in every image.
//
// The image's other paths are laid out image by image. Paths of a block
// that is not included (the image reaches them only through roots outside
// the catalog) form a "partial" layer per block. Paths outside the catalog
// are grouped by their signature among the image's non-catalog roots into
// "extra" layers, large paths alone. If the layers then exceed
// MaxLayers-Reserved, Plan merges partial and extra layers with the same
// cost, never catalog layers. Catalog layers come first, the most widely
// shared lowest, then partial layers, then extra ones.
//
// # A worked example
//
// Take a catalog of four attributes, curl, git, jq and python312, whose
// closures (sizes in MiB) are
//
//	curl       curl (1) → curl-lib (1) → openssl (7) → glibc (30)
//	git        git (50) → curl-lib, perl (55), python3
//	jq         jq (1) → oniguruma (1) → glibc
//	python312  python3 (100) → openssl, libffi (1) → glibc
//
// and two sets, tools (curl, git and jq) and python (python312). The
// signatures, and so the groups, are
//
//	glibc                {curl, git, jq, python312}
//	openssl              {curl, git, python312}
//	curl-lib             {curl, git}
//	python3, libffi      {git, python312}
//	git, perl            {git}
//	jq, oniguruma        {jq}
//	curl                 {curl}
//
// python3 is over 64 MiB and shares its group, so it moves to a group of
// its own: 8 groups. With the default budget (100 layers, 1 reserved) they
// fit, and become 8 blocks, ordered by number of attributes, then by ID.
//
// An image with jq, python312 and "app", a root outside the catalog
// (app (5) → app-data (80), curl-lib, glibc), has R = {jq, python312}. It
// gets the blocks whose signature meets R as catalog layers: glibc,
// openssl, python3, libffi, and jq with oniguruma. curl-lib is in the
// image only because of app, so it goes to a partial layer; app and
// app-data are extra, and app-data, being large, gets a layer of its own:
//
//	catalog  glibc              {curl, git, jq, python312}
//	catalog  openssl            {curl, git, python312}
//	catalog  python3            {git, python312}
//	catalog  libffi             {git, python312}
//	catalog  jq, oniguruma      {jq}
//	partial  curl-lib           {app}
//	extra    app                {app}
//	extra    app-data           {app}
//
// An image of git alone has R = {git, python312}, since git refers to
// python3, and gets glibc, openssl, curl-lib, python3, libffi, and git
// with perl, all as catalog layers. The four it has in common with the
// first image (glibc, openssl, python3, libffi) are the same blobs in
// both; curl-lib, partial in the first image, is not.
//
// With MaxLayers 7 and 1 reserved, only 5 blocks fit, so Partition merges
// three times. tools brings in every group, and python brings in glibc,
// openssl, libffi and python3 as well: merges among the first four and
// among the other four cost nothing, and the attributes decide. curl with
// curl-lib costs 1 MiB·|{git}| = 1 by attributes, and so does libffi with
// openssl, which makes a bigger block, so it comes second; curl and
// curl-lib with jq and oniguruma (2·|{jq}| + 2·|{curl, git}| = 6) come
// third. Merging libffi with python3 would cost nothing even by
// attributes, but it would put a large path with another while merges of
// zero cost are left. The blocks are
//
//	glibc                          {curl, git, jq, python312}
//	libffi, openssl                {curl, git, python312}
//	curl, curl-lib, jq, oniguruma  {curl, git, jq}
//	python3                        {git, python312}
//	git, perl                      {git}
//
// An image of tools, of python or of both has no bloat. The image above,
// with jq but not tools, gets glibc, {libffi, openssl}, {curl, curl-lib,
// jq, oniguruma}, python3 and its two extra layers: curl-lib is now in a
// catalog layer, and curl's 1 MiB is bloat. The examples of this package
// run both cases.
//
// # Identity
//
// A block or layer is identified by "sha256:" and the hex SHA-256 of its
// sorted paths, each followed by a newline ([Block.ID], [Layer.ID]), so the
// ID says what the layer holds, whatever the image or pin: caches can key
// layer tarballs on it.
package layers
