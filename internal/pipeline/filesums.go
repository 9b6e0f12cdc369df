package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/cachedir"
)

// fileSums remembers the sha256 of files by what stat says of them, as
// git's index does, so that the record key of a build from a large
// nixpkgs directory (the test universe holds 60 MB of packages) reads only
// the files that changed. A file is trusted by its stat alone only when it
// was last changed well before its sum was taken: one changed again
// within the same clock tick would look the same.
type fileSums struct {
	file    string
	sums    map[string]fileSum
	changed bool
}

// fileSum is what stat said of a file when its sum was taken.
type fileSum struct {
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime"`
	Ctime int64  `json:"ctime"`
	Inode uint64 `json:"inode"`
	Sum   string `json:"sum"`
}

// racyWindow is how long after its last change a file's stat is not
// trusted to name its content.
const racyWindow = 2 * time.Second

// loadFileSums reads the remembered sums of the cache, if any.
func loadFileSums(cache cachedir.Dir) *fileSums {
	s := &fileSums{sums: map[string]fileSum{}, file: cache.FileSums()}
	if s.file == "" {
		return s
	}
	if data, err := os.ReadFile(s.file); err == nil {
		if json.Unmarshal(data, &s.sums) != nil {
			s.sums = map[string]fileSum{} // damaged: take every sum again
		}
	}
	return s
}

// tree returns the digest of the directory dir: every file's name, mode
// and content (or link target), in order. It saves the sums it took.
func (s *fileSums) tree(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %v\n", filepath.ToSlash(rel), info.Mode())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "-> %q\n", target)
		case d.Type().IsRegular():
			sum, err := s.sum(p, info)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\n", sum)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	s.save()
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sum returns the sha256 of the file p, remembered or taken now.
func (s *fileSums) sum(p string, info fs.FileInfo) (string, error) {
	st, _ := info.Sys().(*syscall.Stat_t)
	now := fileSum{Size: info.Size(), Mtime: info.ModTime().UnixNano()}
	if st != nil {
		now.Ctime, now.Inode = time.Unix(st.Ctim.Unix()).UnixNano(), st.Ino
	}
	if old, ok := s.sums[p]; ok && old.Size == now.Size && old.Mtime == now.Mtime && old.Ctime == now.Ctime && old.Inode == now.Inode {
		return old.Sum, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	now.Sum = hex.EncodeToString(h.Sum(nil))
	if time.Since(time.Unix(0, max(now.Mtime, now.Ctime))) > racyWindow {
		s.sums[p], s.changed = now, true
	}
	return now.Sum, nil
}

// save records the sums, when there are new ones; a failure only costs
// time at the next build.
func (s *fileSums) save() {
	if s.file == "" || !s.changed {
		return
	}
	if data, err := json.Marshal(s.sums); err == nil {
		_ = atomic.WriteFile(s.file, data, 0o644)
	}
	s.changed = false
}
