package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/cachedir"
	"github.com/nixlayer/nixlayer/internal/catalog"
	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/flakeinput"
	"github.com/nixlayer/nixlayer/internal/github"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Input is the flake input that Run moves.
const Input = "nixpkgs"

// The files of the flake directory that an update reads and rewrites.
const (
	FlakeFile = "flake.nix"
	LockFile  = "flake.lock"
)

// Options is one update.
type Options struct {
	// Flake is the flake directory: nixlayer's nix/, with flake.nix and
	// flake.lock.
	Flake string
	// To, when set, is the commit to lock nixpkgs to, rather than the head
	// of its branch.
	To string
	// BumpRelease moves the input to the newest stable release branch
	// (nixos-YY.MM-small) first, when GitHub lists a newer one than the
	// input's.
	BumpRelease bool
	// GitHub lists the release branches for BumpRelease.
	GitHub *github.Client
	// Driver runs Nix. Its FlakeArgs must be empty: the pins are the
	// lock's.
	Driver *nix.Driver
	// System is the Nix system to evaluate and plan images for.
	System string
	// Catalog is where the catalogs' closures come from, as for builds;
	// with Catalog.Store set, the paths of the layers to compress are
	// fetched from the binary cache.
	Catalog catalog.Source
	// CacheDir holds the blob cache (and the catalog records when
	// Catalog.Dir is empty), as for builds.
	CacheDir cachedir.Dir
	// Scanner, when set, scans both pins for vulnerabilities; Threshold is
	// the level the gate counts from (scanner.DefaultThreshold when
	// Unknown), NONE never refusing.
	Scanner   Scanner
	Threshold scanner.Level
	// FailIfNewVulns refuses an update that raises the number of findings
	// at or above Threshold. It needs a Scanner.
	FailIfNewVulns bool
	// Tmp is where work directories go ("" for the system's).
	Tmp string
	// Progress, when set, gets a line per step.
	Progress io.Writer
}

// Result is a finished update, not yet written.
type Result struct {
	Report *changes.Report
	// Flake and Lock are the new flake.nix and flake.lock.
	Flake, Lock []byte
	// dir is the flake directory, and oldFlake and oldLock what it held
	// when Run read it.
	dir               string
	oldFlake, oldLock []byte
}

// Run updates the pin in a copy of the flake directory and reports what
// the update changes. It writes nothing to the flake directory: see
// Result.Write. Bad input (a malformed or incomplete lock, a flake.nix
// whose input URL cannot be rewritten, a --to that is not a commit or that
// the branch lacks) wraps usererr.ErrBadInput; a refused update ("refusing
// the update: …") does not.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.FailIfNewVulns && o.Scanner == nil {
		return nil, errors.New("--fail-if-new-vulns needs a vulnerability scanner, and none is wired into this nixlayer")
	}
	if len(o.Driver.FlakeArgs) > 0 {
		return nil, fmt.Errorf("updating nixpkgs: the driver overrides inputs (%v); the update moves the lock's own pin", o.Driver.FlakeArgs)
	}
	old, err := readFlake(o.Flake)
	if err != nil {
		return nil, err
	}
	wd, err := atomic.WorkDir(o.Tmp)
	if err != nil {
		return nil, fmt.Errorf("making a work directory: %w", err)
	}
	defer wd.RemoveAll()
	tmp := wd.Path
	oldDir, newDir := filepath.Join(tmp, "old"), filepath.Join(tmp, "new")
	for _, dir := range []string{oldDir, newDir} {
		if err := copyTree(dir, o.Flake); err != nil {
			return nil, fmt.Errorf("copying the flake directory %s: %w", o.Flake, err)
		}
		if err := old.writeTo(dir); err != nil {
			return nil, err
		}
	}
	moved, err := relock(ctx, &o, old, newDir)
	if err != nil {
		return nil, err
	}
	res := &Result{Flake: moved.flake, Lock: moved.lock, dir: o.Flake, oldFlake: old.flake, oldLock: old.lock}
	r := &changes.Report{System: o.System, Old: old.reportPin(), New: moved.reportPin()}
	res.Report = r
	r.Changed = moved.changed
	if !r.Changed {
		o.progress("nixpkgs is already at the newest revision, %s", old.pin.Rev)
		return res, nil
	}
	o.progress("nixpkgs moves from %s to %s", old.pin.Rev, moved.pin.Rev)
	if err := o.compare(ctx, r, filepath.Join(tmp, "eval"), oldDir, newDir, old.pin, moved.pin); err != nil {
		return nil, err
	}
	if v := r.Vulnerabilities; o.FailIfNewVulns && v.Raises() {
		return nil, refuse(nil, "it raises the vulnerabilities at or above %s from %d to %d (introduced: %s)", v.Threshold, v.AtOrAbove(v.Old), v.AtOrAbove(v.New), findingIDs(v.Introduced))
	}
	return res, nil
}

// flakeFiles are what an update reads of a flake directory, or writes.
type flakeFiles struct {
	flake, lock []byte
	// url is the input's URL in flake.nix, or "" when it is not a plain
	// string literal (urlErr says why).
	url    string
	urlErr error
	pin    lock.Pin
	node   string
}

// readFlake reads and checks the flake directory's flake.nix and
// flake.lock.
func readFlake(dir string) (*flakeFiles, error) {
	f := &flakeFiles{}
	var err error
	if f.flake, err = readFile(dir, FlakeFile); err != nil {
		return nil, err
	}
	if f.lock, err = readFile(dir, LockFile); err != nil {
		return nil, err
	}
	if err := f.parse(); err != nil {
		return nil, bad(filepath.Join(dir, LockFile), err)
	}
	return f, nil
}

// parse reads the pin and the input's URL of f.
func (f *flakeFiles) parse() error {
	l, err := lock.Parse(f.lock)
	if err != nil {
		return err
	}
	if f.pin, err = l.Input(Input); err != nil {
		return err
	}
	if f.node, err = l.Node(Input); err != nil {
		return err
	}
	f.url, f.urlErr = flakeinput.InputURL(f.flake, Input)
	return nil
}

func readFile(dir, name string) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usererr.Errorf("%s has no %s: give the flake directory, such as nix", dir, name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return data, nil
}

// writeTo writes f's flake.nix and flake.lock into dir.
func (f *flakeFiles) writeTo(dir string) error {
	for name, data := range map[string][]byte{FlakeFile: f.flake, LockFile: f.lock} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("writing the work copy of %s: %w", name, err)
		}
	}
	return nil
}

// reportPin is f's pin for the report.
func (f *flakeFiles) reportPin() changes.Pin {
	ref := f.pin.Ref
	if f.url != "" {
		if r, err := flakeinput.Ref(f.url); err == nil {
			ref = r
		}
	}
	return changes.Pin{URL: f.url, Ref: ref, Rev: f.pin.Rev, NarHash: f.pin.NarHash, LastModified: f.pin.LastModified}
}

func (o *Options) progress(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "nixlayer: "+format+"\n", args...)
	}
}

// copyTree copies the directory src to dst, which it makes: directories,
// regular files and symlinks (as symlinks), as Nix's path: fetcher takes
// them, so that the copy evaluates as the original does.
func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, info.Mode().Perm()|0o200)
		}
		return nil
	})
}
