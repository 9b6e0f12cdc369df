package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/image"
)

// Outputs are where the images of one build go. Tag names them in both.
type Outputs struct {
	// Archive is the tar file that docker load and OCI tools read; it
	// holds one image.
	Archive string
	// Layout is an OCI layout directory: one image, or an index of one
	// image per platform.
	Layout string
	Tag    string
	// Stdout, when set, takes the archive instead of a file: "-o -".
	Stdout io.Writer
}

// Write writes the built images to out: the layout, then the archive.
// Each output is written whole or not at all. Progress, if set, gets a
// line per output. A cached store path found damaged while it is written
// (see image.ErrCorrupt) is compressed again, and the outputs written
// again, in the same call.
func Write(ctx context.Context, builds []*Built, out Outputs, progress io.Writer) error {
	err := write(ctx, builds, out, progress)
	if !errors.Is(err, image.ErrCorrupt) {
		return err
	}
	if progress != nil {
		fmt.Fprintf(progress, "nixlayer: %s; compressing again\n", oneLine(err))
	}
	for _, b := range builds {
		img, err := b.reassemble(ctx)
		if err != nil {
			return err
		}
		d, err := img.Digest()
		if err != nil {
			return fmt.Errorf("hashing the image: %w", err)
		}
		if d.String() != b.Digest {
			return fmt.Errorf("compressing the damaged store paths again gave image %s, not %s", d, b.Digest)
		}
		b.Image = img
	}
	return write(ctx, builds, out, progress)
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

func write(ctx context.Context, builds []*Built, out Outputs, progress io.Writer) error {
	imgs := make([]v1.Image, len(builds))
	for i, b := range builds {
		imgs[i] = b.Image
	}
	if (out.Archive != "" || out.Stdout != nil) && len(imgs) != 1 {
		return errors.New("writing the image archive: an archive holds one image, and there are several platforms")
	}
	if out.Layout != "" {
		if progress != nil {
			fmt.Fprintf(progress, "nixlayer: writing the OCI layout %s\n", out.Layout)
		}
		if err := image.WriteIndexLayout(ctx, imgs, out.Layout, out.Tag); err != nil {
			return err
		}
	}
	switch {
	case out.Stdout != nil:
		if err := image.StreamArchive(ctx, imgs[0], out.Stdout, out.Tag); err != nil {
			return err
		}
	case out.Archive != "":
		if progress != nil {
			fmt.Fprintf(progress, "nixlayer: writing %s\n", out.Archive)
		}
		if err := image.WriteArchive(ctx, imgs[0], out.Archive, out.Tag); err != nil {
			return err
		}
	}
	return nil
}
