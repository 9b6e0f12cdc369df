package nix

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLockStore checks that commands that build on a store without a
// daemon take turns, that a waiting one says so, and that evaluation and
// a daemon's store take no lock.
func TestLockStore(t *testing.T) {
	store := filepath.Join(t.TempDir(), "root")
	first := &Driver{Store: store}
	release, err := first.lockStore(context.Background(), "build")
	if err != nil {
		t.Fatal(err)
	}

	var progress bytes.Buffer
	second := &Driver{Store: store, Progress: &progress}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := second.lockStore(ctx, "build"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second build took the lock the first holds: %v", err)
	}
	want := "nixlayer: waiting for another nixlayer build on " + store + " (it holds " + filepath.Join(store, "nix", "var", "nix", StoreLockName) + ")\n"
	if progress.String() != want {
		t.Errorf("the waiting build said %q, want %q", progress.String(), want)
	}
	if unlock, err := second.lockStore(context.Background(), "eval"); err != nil {
		t.Errorf("an evaluation waited for the lock: %v", err)
	} else {
		unlock()
	}

	done := make(chan error, 1)
	go func() {
		unlock, err := second.lockStore(context.Background(), "develop")
		if err == nil {
			unlock()
		}
		done <- err
	}()
	time.Sleep(2 * lockPoll)
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the waiting build, once the lock was free: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting build did not get the lock once it was free")
	}

	for _, s := range []string{"daemon", "unix:///nix/var/nix/daemon-socket/socket", "ssh://builder", "https://cache.nixos.org"} {
		if p := (&Driver{Store: s}).storeLockPath(); p != "" {
			t.Errorf("store %q: lock %s, want none (Nix serialises its builds)", s, p)
		}
	}
	if p := (&Driver{Store: "local?root=" + store}).storeLockPath(); !strings.HasPrefix(p, store) {
		t.Errorf("store local?root=%s: lock %q, want one under the root", store, p)
	}
}
