package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// record is what a build learnt from Nix that depends only on its inputs:
// the pinned nixpkgs, the image's and the catalog's plans (with their out
// paths) and the devcontainer's Nix database. A rebuild with the same
// inputs takes them from the record instead of evaluating and building
// again, and only asks Nix whether the store paths are still there.
type record struct {
	Pin         lock.Source `json:"pin"`
	Plan        *flake.Plan `json:"plan"`
	CatalogPlan *flake.Plan `json:"catalogPlan"`
	Database    string      `json:"database,omitempty"`
	// Facts are what the derivations say of each path of the closure, for
	// the SBOM.
	Facts []nix.Facts `json:"facts"`
}

// recordVersion is part of every record key; change it when the record
// or what it is computed from changes meaning.
const recordVersion = "nixlayer eval record v2"

// recordKey returns the key of the record of a build of req with d from
// src, or "" when the inputs cannot be named by content (an unlocked flake
// reference as nixpkgs, such as a branch): then there is no record. The
// key covers everything evaluation depends on: nixlayer's flake (with its
// lock), the request (attributes, overlays, epoch, system), the content of
// the overlays' directories, the nixpkgs override (a directory's content,
// or a locked reference), and the nix binary.
func recordKey(d *nix.Driver, src fs.FS, req flake.Request, epoch int64, cache cachedir.Dir) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", recordVersion)
	if err := hashFS(h, src, "."); err != nil {
		return "", fmt.Errorf("hashing the flake: %w", err)
	}
	layout, err := flake.NewLayout(req)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "system %s\nepoch %d\nrequest %s\n", req.System, epoch, layout.RequestJSON)
	for _, o := range layout.Overlays {
		fmt.Fprintf(h, "overlay %s\n", o.Dst)
		if err := hashOverlay(h, o.Src); err != nil {
			return "", fmt.Errorf("hashing the overlay directory %s: %w", o.Src, err)
		}
	}
	nixpkgs, ok, err := overrideID(d.FlakeArgs, loadFileSums(cache))
	if err != nil || !ok {
		return "", err
	}
	fmt.Fprintf(h, "nixpkgs %s\n", nixpkgs)
	bin, err := nixID(d)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "nix %s\n", bin)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// lockedRef matches a flake reference that names one revision or one
// content hash.
var lockedRef = regexp.MustCompile(`(^|[/=])[0-9a-f]{40}($|[&?/])|narHash=`)

// overrideID names the nixpkgs of the flake arguments (an
// --override-input of nixpkgs): "" for the pinned one, which the flake's
// lock names; a directory's content hash; or a locked reference itself.
// ok is false for a reference that can change, such as a branch.
func overrideID(flakeArgs []string, sums *fileSums) (string, bool, error) {
	for i := 0; i+2 < len(flakeArgs); i++ {
		if flakeArgs[i] != "--override-input" || flakeArgs[i+1] != "nixpkgs" {
			continue
		}
		ref := flakeArgs[i+2]
		if dir, isPath := strings.CutPrefix(ref, "path:"); isPath && !strings.ContainsAny(dir, "?#") {
			sum, err := sums.tree(dir)
			if err != nil {
				return "", false, fmt.Errorf("hashing the nixpkgs directory %s: %w", dir, err)
			}
			return "path " + sum, true, nil
		}
		return ref, lockedRef.MatchString(ref), nil
	}
	return "", true, nil
}

// nixID names the nix binary that d runs, by its path, size and time, so
// that another Nix evaluates again.
func nixID(d *nix.Driver) (string, error) {
	bin := d.Bin
	if bin == "" {
		bin = "nix"
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		return "", err
	}
	if p, err = filepath.EvalSymlinks(p); err != nil {
		return "", err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	return p + " " + strconv.FormatInt(fi.Size(), 10) + " " + strconv.FormatInt(fi.ModTime().UnixNano(), 10), nil
}

// hashFS writes every file of fsys under root to h, in order: its name,
// its kind and mode, and its content or link target.
func hashFS(h hash.Hash, fsys fs.FS, root string) error {
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %v\n", p, info.Mode())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := fs.ReadLink(fsys, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "-> %q\n", target)
		case d.Type().IsRegular():
			f, err := fsys.Open(p)
			if err != nil {
				return err
			}
			n, err := io.Copy(h, f)
			f.Close()
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "\n%d\n", n)
		}
		return nil
	})
}

// hashOverlay hashes the files of an overlay's directory that go into the
// build (flake.OverlayFiles): their names and contents.
func hashOverlay(h hash.Hash, dir string) error {
	files, err := flake.OverlayFiles(dir)
	if err != nil {
		return err
	}
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return nil
}

// readRecord returns the record of key, if there is a sound one. A damaged
// record is removed.
func readRecord(cache cachedir.Dir, key string) (*record, bool) {
	if cache == "" || key == "" {
		return nil, false
	}
	file := cache.Record(key)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil || r.Plan == nil || r.CatalogPlan == nil || len(r.Plan.Packages) == 0 || len(r.Facts) == 0 {
		_ = os.Remove(file)
		return nil, false
	}
	return &r, true
}

// writeRecord records r under key.
func writeRecord(cache cachedir.Dir, key string, r *record) error {
	if cache == "" || key == "" {
		return nil
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding the evaluation record: %w", err)
	}
	if err := atomic.WriteFile(cache.Record(key), data, 0o644); err != nil {
		return fmt.Errorf("recording the evaluation: %w", err)
	}
	return nil
}

// dropRecord removes the record of key, whose store paths are gone.
func dropRecord(cache cachedir.Dir, key string) { _ = os.Remove(cache.Record(key)) }
