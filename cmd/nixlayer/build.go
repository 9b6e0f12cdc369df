package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"

	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/report"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// buildFlags are the flags of nixlayer build.
type buildFlags struct {
	spec, output, layout, tag, cache, catalogStore string
	packages                                       []string
}

func newBuildCmd(opts *options) *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build devcontainer|runtime [--sets base,python] -o image.tar",
		Short: "Build a devcontainer or runtime image from package sets",
		Long: `Build an OCI image of the given sets (and --packages): one layer per group
of store paths that the same catalog packages bring, so that images of any
sets share every layer they have in common, then a customisation layer.

A devcontainer (default sets ` + rootfs.Devcontainer.DefaultSets() + `) runs as vscode, with sudo,
direnv and single-user Nix. A runtime image (default sets ` + rootfs.Runtime.DefaultSets() + `) runs as
app (uid 1000) in /app, with no sudo, no Nix and no setuid file.

-o writes one tar file that both "docker load" and OCI tools (skopeo's
oci-archive:, dagger's Container.import) read; --oci-layout writes an OCI
layout directory. Each is written whole or not at all.

The image time is SOURCE_DATE_EPOCH, or else the time of the pinned nixpkgs,
so the same inputs give the same image digest. Compressed store paths are
kept in the cache directory (--cache, env NIXLAYER_CACHE), so a rebuild
compresses only the store paths it has not seen.`,
		Example: `  nixlayer build devcontainer --sets base,devTools,nixTools,python -o devcontainer.tar
  nixlayer build runtime --sets base,python -o runtime.tar --tag ghcr.io/acme/app:1.0
  docker load < runtime.tar`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{errors.New("nixlayer build takes one kind: devcontainer or runtime")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBuild(cmd, opts, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.spec, "sets", "", "comma-separated sets to compose (default: the kind's; see nixlayer sets)")
	fl.StringSliceVar(&f.packages, "packages", nil, "extra nixpkgs attributes, comma-separated")
	fl.StringVarP(&f.output, "output", "o", "", "write the image as a tar file for docker load and OCI tools")
	fl.StringVar(&f.layout, "oci-layout", "", "write the image as an OCI layout directory")
	fl.StringVar(&f.tag, "tag", "", `the image name in the outputs (default "nixlayer/KIND:latest")`)
	fl.StringVar(&f.cache, "cache", "", "the blob and catalog cache directory (env NIXLAYER_CACHE; default: the user cache directory)")
	fl.StringVar(&f.catalogStore, "catalog-store", "", "read the catalog's closures from this binary cache, such as https://cache.nixos.org, instead of building the catalog")
	fl.StringVar(&opts.nixpkgs, "nixpkgs", "", "use this nixpkgs instead of the pinned one: a directory or a flake reference (env NIXLAYER_NIXPKGS)")
	fl.StringVar(&opts.store, "store", "", "the Nix store to use, such as a chroot store /tmp/store (env NIXLAYER_STORE)")
	fl.StringVar(&opts.system, "system", "", "the Nix system to build for (default: this machine's)")
	fl.BoolVarP(&opts.quiet, "quiet", "q", false, "do not print progress")
	return cmd
}

func runBuild(cmd *cobra.Command, opts *options, f *buildFlags, kindName string) error {
	kind, err := rootfs.ParseKind(kindName)
	if err != nil {
		return err
	}
	if f.output == "" && f.layout == "" {
		return usageError{errors.New("nixlayer build needs -o FILE, --oci-layout DIR, or both")}
	}
	if f.tag == "" {
		f.tag = "nixlayer/" + string(kind) + ":latest"
	}
	if _, err := name.NewTag(f.tag); err != nil {
		return usageError{fmt.Errorf("--tag %q: %w", f.tag, err)}
	}
	epoch, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	for _, out := range []string{f.output, f.layout} {
		if err := writableDir(out); err != nil {
			return err
		}
	}
	cache, err := cacheDir(f.cache)
	if err != nil {
		return err
	}
	spec := f.spec
	if spec == "" {
		spec = kind.DefaultSets()
	}
	sel, req, err := opts.selection(spec, f.packages)
	if err != nil {
		return err
	}
	if err := kind.Check(req.Attrs); err != nil {
		return err
	}
	d, err := opts.installedDriver(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	im := pipeline.Image{
		Kind: kind, Selection: sel, Request: req,
		Catalog:  catalog.Source{Store: f.catalogStore},
		CacheDir: cache, Epoch: epoch,
		Output: f.output, Layout: f.layout, Tag: f.tag,
	}
	if !opts.quiet {
		im.Progress = cmd.ErrOrStderr()
	}
	built, err := pipeline.Build(cmd.Context(), d, nixflake.Files, im, os.TempDir())
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if opts.json {
		err = report.JSON(&out, pipeline.NewSummary(kind, built))
	} else {
		err = summary(&out, kind, built, f)
	}
	if err != nil {
		return err
	}
	_, err = cmd.OutOrStdout().Write(out.Bytes())
	return err
}

// summary prints what was built, for people.
func summary(w io.Writer, kind rootfs.Kind, b *pipeline.Built, f *buildFlags) error {
	s := pipeline.NewSummary(kind, b)
	lines := [][2]string{
		{"image", fmt.Sprintf("%s %s (%s)", kind, s.Digest, f.tag)},
		{"layers", fmt.Sprintf("%d: %d store layers and 1 customisation layer", s.Layers, s.StoreLayers)},
		{"size", fmt.Sprintf("%s compressed; closure %s in %d store paths", report.Size(s.Size), report.Size(s.ClosureSize), s.ClosurePaths)},
		{"cache", fmt.Sprintf("compressed %d store paths (%s), reused %d (%s)", s.PathsCompressed, report.Size(s.BytesCompressed), s.PathsReused, report.Size(s.BytesReused))},
		{"bloat", fmt.Sprintf("%s beyond the closure; %d merges forced by the layer budget", report.Size(s.Bloat), s.Merges)},
	}
	for _, out := range []string{f.output, f.layout} {
		if out != "" {
			lines = append(lines, [2]string{"wrote", out})
		}
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%-7s %s\n", l[0], l[1]); err != nil {
			return err
		}
	}
	return nil
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH, or returns 0 when it is unset.
func sourceDateEpoch() (int64, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, usageError{fmt.Errorf("SOURCE_DATE_EPOCH=%q: want a positive number of seconds since 1970", v)}
	}
	return n, nil
}

// writableDir checks, before any long work, that the directory that will
// hold out exists and takes new files.
func writableDir(out string) error {
	if out == "" {
		return nil
	}
	dir := filepath.Dir(out)
	probe, err := os.CreateTemp(dir, ".nixlayer-probe-*")
	if err != nil {
		return usageError{fmt.Errorf("checking the output %s: %w", out, err)}
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// cacheDir is --cache, NIXLAYER_CACHE, or nixlayer's user cache directory.
func cacheDir(flag string) (string, error) {
	if dir := firstOf(flag, os.Getenv("NIXLAYER_CACHE")); dir != "" {
		return filepath.Abs(dir)
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", usageError{fmt.Errorf("finding a cache directory (give --cache): %w", err)}
	}
	return filepath.Join(dir, "nixlayer"), nil
}
