package nix

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// buildingCommands are the subcommands that build or add store paths
// (nix develop, which runs the user's shell, takes no lock: nixlayer
// builds the shell's packages before, and Nix builds only its
// environment).
// Without a daemon, each nix process schedules its builds alone: two that
// build the same derivations at once each take some of their output locks
// and wait for the others' for ever (four cold builds of one catalog on a
// fresh store did, in two trials of two). nixlayer runs these one at a
// time on a store without a daemon. Evaluation, which only writes .drv
// files, and queries run side by side.
var buildingCommands = []string{"build", "develop", "print-dev-env", "copy", "shell", "run"}

// StoreLockName is the lock file, in the store's nix/var/nix directory,
// that nixlayer holds while Nix builds on a store without a daemon.
const StoreLockName = "nixlayer-build.lock"

// lockPoll is how often a waiting command tries the store's lock again.
const lockPoll = 100 * time.Millisecond

// storeLockPath returns the lock file of d's store, or "" when Nix
// serialises builds itself (a daemon's store) or the store is remote.
// Nix's "auto" store is the local one when its state directory is
// writable, and the daemon's otherwise (as nix's own openStore decides).
func (d *Driver) storeLockPath() string {
	store := d.Store
	if store == "" || store == "auto" {
		store = d.env("NIX_REMOTE")
	}
	switch {
	case store == "" || store == "auto":
		state := "/nix/var/nix"
		if syscall.Access(state, 2 /* W_OK */) != nil {
			return "" // the daemon's store
		}
		return filepath.Join(state, StoreLockName)
	case store == "local" || strings.HasPrefix(store, "/") || strings.HasPrefix(store, "local?") || strings.HasPrefix(store, "local://"):
		return filepath.Join(d.Root().Path("/nix/var/nix"), StoreLockName)
	}
	return "" // daemon, unix://, ssh://, http(s)://: serialised elsewhere
}

// env is an environment variable as nix sees it: d.Env first.
func (d *Driver) env(key string) string {
	for i := len(d.Env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(d.Env[i], "="); ok && k == key {
			return v
		}
	}
	return os.Getenv(key)
}

// lockStore takes the store's lock for a command that builds, when the
// store needs one, and returns the function that releases it. While
// another nixlayer holds it, it says so once on Progress and waits until
// the lock is free or ctx is done.
func (d *Driver) lockStore(ctx context.Context, command string) (func(), error) {
	if !slices.Contains(buildingCommands, command) {
		return func() {}, nil
	}
	path := d.storeLockPath()
	if path == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("making the store's lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the store's lock %s: %w", path, err)
	}
	told := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOLCK) {
				return func() {}, nil // a file system without flock
			}
			return nil, fmt.Errorf("locking the store's lock %s: %w", path, err)
		}
		if !told && d.Progress != nil {
			store := d.Store
			if store == "" {
				store = "the default store"
			}
			fmt.Fprintf(d.Progress, "nixlayer: waiting for another nixlayer build on %s (it holds %s)\n", store, path)
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}
