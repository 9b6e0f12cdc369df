package image

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"
)

// modTime returns the modification time that the layers of this package
// give every entry for the given epoch: epoch truncated to whole seconds in
// UTC, or one second after the Unix epoch when epoch is the zero time or not
// after the Unix epoch, as Nix does.
func modTime(epoch time.Time) time.Time {
	if epoch.IsZero() || epoch.Unix() <= 0 {
		return time.Unix(1, 0).UTC()
	}
	return time.Unix(epoch.Unix(), 0).UTC()
}

// header returns the tar header of an entry owned by uid and gid with the
// given type flag, name (relative, without a trailing slash), mode bits and
// modification time. Directory names get the conventional trailing slash.
// User and group names stay empty and access and change times unset, so the
// header depends on nothing but its arguments.
func header(typ byte, name string, mode int64, uid, gid int, mtime time.Time) *tar.Header {
	if typ == tar.TypeDir {
		name += "/"
	}
	return &tar.Header{
		Typeflag: typ,
		Name:     name,
		Mode:     mode,
		Uid:      uid,
		Gid:      gid,
		ModTime:  mtime,
	}
}

// tarMode returns the mode bits of a tar header for m: its permissions and
// its setuid, setgid and sticky bits.
func tarMode(m fs.FileMode) int64 {
	mode := int64(m.Perm())
	if m&fs.ModeSetuid != 0 {
		mode |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		mode |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	return mode
}

// kind names the type of a file that a layer cannot hold, for errors.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeIrregular != 0:
		return "irregular file"
	}
	return fmt.Sprintf("file of mode %v", m)
}

// pathLess reports whether the slash-separated path a sorts before b when
// paths are compared component by component, which is the order of a
// depth-first walk that visits the names of each directory in byte order:
// "a", "a/b", "a.txt".
func pathLess(a, b string) bool {
	return pathCompare(a, b) < 0
}

// pathCompare compares a and b as pathLess does, returning -1, 0 or +1.
func pathCompare(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca == '/' {
			return -1
		}
		if cb == '/' {
			return +1
		}
		if ca < cb {
			return -1
		}
		return +1
	}
	return len(a) - len(b) // a prefix sorts first
}

// parentDirs returns the proper ancestors of the relative slash-separated
// path p, outermost first: "a", "a/b" for "a/b/c".
func parentDirs(p string) []string {
	var dirs []string
	for i := strings.IndexByte(p, '/'); i >= 0; {
		dirs = append(dirs, p[:i])
		j := strings.IndexByte(p[i+1:], '/')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return dirs
}

// ctxReader is a reader that stops with the context's error once the
// context is done, so that long copies honour cancellation.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// copyBufs holds the buffers of copyExactly, so that compressing thousands
// of small files allocates few of them.
var copyBufs = sync.Pool{New: func() any {
	b := make([]byte, 256<<10)
	return &b
}}

// copyExactly copies exactly n bytes from r to w, stopping early when ctx is
// done. A reader with fewer bytes gives io.ErrUnexpectedEOF.
func copyExactly(ctx context.Context, w io.Writer, r io.Reader, n int64) error {
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	got, err := io.CopyBuffer(w, io.LimitReader(ctxReader{ctx, r}, n), *buf)
	if err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("%w: got %d of %d bytes", io.ErrUnexpectedEOF, got, n)
	}
	return nil
}

// countWriter passes writes on to w and counts their bytes.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
