package update

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/flakeinput"
	"github.com/nixlayer/nixlayer/internal/github"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// movedFlake is the flake directory's files after the lock moved.
type movedFlake struct {
	*flakeFiles
	// changed tells whether flake.nix or the nixpkgs node changed.
	changed bool
}

// relock moves the input in the work copy dir, whose files are old's: the
// release bump first, when asked, then Nix's lock. It checks that only the
// nixpkgs node changed.
func relock(ctx context.Context, o *Options, old *flakeFiles, dir string) (*movedFlake, error) {
	url := old.url
	flake := old.flake
	if o.BumpRelease {
		var err error
		if flake, url, err = bump(ctx, o, old); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, FlakeFile), flake, 0o644); err != nil {
			return nil, fmt.Errorf("writing the work copy of %s: %w", FlakeFile, err)
		}
	}
	ref := "path:" + dir
	var args []string
	if o.To != "" {
		if url == "" {
			return nil, bad("--to "+o.To, fmt.Errorf("finding the url of input %q in %s: %w", Input, FlakeFile, old.urlErr))
		}
		at, err := flakeinput.WithRev(url, o.To)
		if err != nil {
			return nil, bad("--to "+o.To, err)
		}
		args = LockToArgs(ref, Input, at)
	} else {
		v, err := nixVersion(ctx, o.Driver)
		if err != nil {
			return nil, err
		}
		args = UpdateArgs(v, ref, Input)
	}
	o.progress("locking nixpkgs: nix %s", strings.Join(args[:len(args)-2], " "))
	if _, err := o.Driver.Run(ctx, args...); err != nil {
		return nil, lockError(o, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, LockFile))
	if err != nil {
		return nil, fmt.Errorf("reading the new lock: %w", err)
	}
	m := &movedFlake{flakeFiles: &flakeFiles{flake: flake, lock: data}}
	if err := m.parse(); err != nil {
		return nil, refuse(err, "the lock that Nix wrote: %v", err)
	}
	changed, err := lock.ChangedNodes(old.lock, data)
	if err != nil {
		return nil, refuse(err, "%v", err)
	}
	if others := slices.DeleteFunc(slices.Clone(changed), func(n string) bool { return n == old.node }); len(others) > 0 || m.node != old.node {
		return nil, refuse(nil, "Nix changed the lock's nodes %s, not only %s; flake.lock is left as it was", strings.Join(changed, ", "), old.node)
	}
	m.changed = len(changed) > 0 || !bytes.Equal(flake, old.flake)
	return m, nil
}

// lockError is the error of a failed lock command: a host that Nix could
// not reach is a failure; with --to, anything else is the revision's
// (one that the branch lacks, or that does not exist), the user's input.
func lockError(o *Options, err error) error {
	ce, ok := errors.AsType[*nix.CommandError](err)
	if !ok {
		return fmt.Errorf("locking nixpkgs: %w", err)
	}
	if host, reason, ok := ce.Unreachable(); ok {
		return fmt.Errorf("locking nixpkgs: cannot reach %s (%s), where the input's branch is", host, reason)
	}
	if o.To != "" {
		return bad("locking nixpkgs at --to "+o.To, err)
	}
	return fmt.Errorf("locking nixpkgs: %w", err)
}

// nixVersion asks the nix binary for its version.
func nixVersion(ctx context.Context, d *nix.Driver) (NixVersion, error) {
	q := *d
	q.Progress = nil
	out, err := q.Run(ctx, "--version")
	if err != nil {
		return NixVersion{}, fmt.Errorf("reading the version of nix: %w", err)
	}
	return ParseNixVersion(string(out))
}

// bump returns flake.nix with the input's URL on the newest release
// branch, and that URL; or flake.nix as it is when its branch is the
// newest.
func bump(ctx context.Context, o *Options, old *flakeFiles) ([]byte, string, error) {
	const doing = "--bump-release"
	if old.url == "" {
		return nil, "", bad(doing, fmt.Errorf("finding the url of input %q in %s: %w", Input, FlakeFile, old.urlErr))
	}
	current, err := flakeinput.Ref(old.url)
	if err != nil {
		return nil, "", bad(doing, err)
	}
	if _, ok := github.ParseBranch(current); !ok {
		return nil, "", bad(doing, fmt.Errorf("the input follows %q, which is not a release branch (nixos-YY.MM-small)", current))
	}
	repo, ok := flakeinput.GitHubRepo(old.url)
	if !ok {
		// A mirror of nixpkgs has nixpkgs' branches.
		repo = github.DefaultRepo
	}
	c := o.GitHub
	if c == nil {
		c = &github.Client{}
	}
	branches, err := c.ReleaseBranches(ctx, repo)
	if err != nil {
		return nil, "", err
	}
	newest, newer := github.Newest(current, branches)
	if !newer {
		o.progress("%s is the newest release branch of %s", current, repo)
		return old.flake, old.url, nil
	}
	url, err := flakeinput.WithRef(old.url, newest)
	if err != nil {
		return nil, "", bad(doing, err)
	}
	flake, err := flakeinput.SetInputURL(old.flake, Input, old.url, url)
	if err != nil {
		return nil, "", bad(doing, err)
	}
	o.progress("moving the input from %s to %s", current, newest)
	return flake, url, nil
}
