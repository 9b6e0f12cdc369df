//go:build linux

package nix_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// TestNixDiesWithNixlayer kills a process that runs nix (a stand-in that
// writes its pid and sleeps) with SIGKILL, which it cannot catch: nix must
// get SIGTERM from the kernel and end, rather than go on building.
func TestNixDiesWithNixlayer(t *testing.T) {
	if dir := os.Getenv("NIXLAYER_TEST_NIX_CHILD"); dir != "" {
		d := &nix.Driver{Bin: filepath.Join(dir, "nix")}
		d.Run(context.Background(), "build", "--", "x")
		return
	}
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	script := "#!/bin/sh\necho $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + "\nexec sleep 120\n"
	if err := os.WriteFile(filepath.Join(dir, "nix"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	parent := exec.Command(os.Args[0], "-test.run=^TestNixDiesWithNixlayer$")
	parent.Env = append(os.Environ(), "NIXLAYER_TEST_NIX_CHILD="+dir, "NIX_REMOTE=daemon")
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(30 * time.Second); pid == 0; {
		if data, err := os.ReadFile(pidFile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		}
		if time.Now().After(deadline) {
			parent.Process.Kill()
			t.Fatal("the stand-in nix did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	parent.Process.Kill()
	parent.Wait()
	for deadline := time.Now().Add(5 * time.Second); ; {
		if err := syscall.Kill(pid, 0); err != nil {
			return // gone
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("nix (pid %d) still runs 5 s after the process that ran it was killed", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
