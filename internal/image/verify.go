package image

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// verifyReader passes on the bytes of r while hashing them. At the end of r
// it checks their sha256 digest and number against want and size, and if
// they differ it returns the error of mismatch instead of io.EOF, so that a
// reader of unexpected content never ends successfully.
type verifyReader struct {
	r        io.Reader
	h        hash.Hash
	n        int64
	want     v1.Hash
	size     int64
	mismatch func(got v1.Hash, n int64) error
	err      error
}

// newVerifyReader returns a verifyReader of r. A nil mismatch gives a
// generic error.
func newVerifyReader(r io.Reader, want v1.Hash, size int64, mismatch func(got v1.Hash, n int64) error) *verifyReader {
	if mismatch == nil {
		mismatch = func(got v1.Hash, n int64) error {
			return fmt.Errorf("content has digest %s and %d bytes, want %s and %d bytes", got, n, want, size)
		}
	}
	return &verifyReader{r: r, h: sha256.New(), want: want, size: size, mismatch: mismatch}
}

func (v *verifyReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if v.n > v.size {
		err = v.check()
	}
	if err == io.EOF {
		err = v.check()
	}
	if err != nil {
		v.err = err
	}
	return n, err
}

// check returns io.EOF when the bytes read so far are the expected ones and
// the error of mismatch otherwise.
func (v *verifyReader) check() error {
	got := sha256Hash(v.h)
	if v.n != v.size || got != v.want {
		return v.mismatch(got, v.n)
	}
	return io.EOF
}

// sha256Hash returns the digest of h, a sha256 hash, as a v1.Hash.
func sha256Hash(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}

// selfChecking is implemented by the layers of this package, whose
// readers check their content against their digest and size themselves, so
// that copying them need not hash them again.
type selfChecking interface{ checksContent() }

// blob is a piece of content of an image with known digest and size.
type blob struct {
	digest  v1.Hash
	size    int64
	open    func() (io.ReadCloser, error)
	checked bool // open gives content known to have digest and size, or an error
}

// copyBlob copies the content of b to w, checking that it has the expected
// digest and size, and stops early when ctx is done.
func copyBlob(ctx context.Context, w io.Writer, b blob) error {
	rc, err := b.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var r io.Reader = ctxReader{ctx, rc}
	if !b.checked {
		r = newVerifyReader(r, b.digest, b.size, func(got v1.Hash, n int64) error {
			return fmt.Errorf("blob %s has digest %s and %d bytes, want %d bytes", b.digest, got, n, b.size)
		})
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	n, err := io.CopyBuffer(w, r, *buf)
	if err != nil {
		return err
	}
	if n != b.size { // cannot happen after a check, but a short blob must never pass
		return fmt.Errorf("blob %s has %d bytes, want %d", b.digest, n, b.size)
	}
	return nil
}
