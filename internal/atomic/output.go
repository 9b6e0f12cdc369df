package atomic

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// An Output is an output file being written: a File whose Commit renames
// it into place, or a stream (a device, a pipe, a socket, standard output)
// written as it comes, whose Commit only syncs what it can.
type Output interface {
	io.Writer
	// Commit makes the output whole where it goes, with permissions perm
	// for a new file.
	Commit(perm fs.FileMode) error
	// Abort gives up the output; a stream keeps what it was sent.
	Abort()
}

// OpenOutput starts writing the output file path, as a user who names it
// expects:
//
//   - a regular file, or a path that does not exist, is written under a
//     temporary name and renamed into place by Commit, so that it is whole
//     or not there at all;
//   - a symbolic link to one is followed: the file it names is replaced,
//     and the link stays;
//   - a character device, a pipe or a socket (/dev/null, a FIFO), and a
//     file descriptor of the process named through /proc or /dev/fd (such
//     as /dev/stdout, whatever it is redirected to), are written directly,
//     since renaming over them would replace them with a regular file.
func OpenOutput(path string) (Output, error) {
	if direct(path) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return &stream{f: f}, nil
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	} else if target, lerr := os.Readlink(path); lerr == nil {
		// A dangling link: write the file it names.
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return Create(path)
}

// direct reports whether path is written in place rather than renamed
// over: anything but a regular file, and a descriptor of the process named
// through /proc or /dev/fd, on the way of any of its links.
func direct(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	if !fi.Mode().IsRegular() {
		return true
	}
	for range 40 {
		if strings.HasPrefix(path, "/proc/") || strings.HasPrefix(path, "/dev/fd/") {
			return true
		}
		target, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return false
}

// Stream is an Output that writes to w as it comes, such as standard
// output for "-o -".
func Stream(w io.Writer) Output { return &stream{w: w} }

// stream is an Output written in place: a file opened directly, or a
// writer.
type stream struct {
	f *os.File
	w io.Writer
}

func (s *stream) Write(p []byte) (int, error) {
	if s.f != nil {
		return s.f.Write(p)
	}
	return s.w.Write(p)
}

func (s *stream) Commit(fs.FileMode) error {
	if s.f == nil {
		return nil
	}
	return s.f.Close()
}

func (s *stream) Abort() {
	if s.f != nil {
		_ = s.f.Close()
	}
}
