package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// rootfsEnv carries a Command to the re-executed test binary.
const rootfsEnv = "NIXLAYER_TESTENV_ROOTFS"

// Command is a program to run inside an unpacked image: in a private mount
// namespace, with the host's /dev and /proc bound into the root, chrooted,
// as UID:GID with no supplementary groups, and with Env as its whole
// environment. Argv[0] is looked up in Env's PATH inside the root.
//
// With Lower set, Root is an empty directory where an overlay of Lower
// (read-only) and Upper (which gets every change, Work being overlayfs's
// scratch directory) is mounted, as a container engine mounts an image's
// filesystem. Binds are then mounted into the root, in order, making their
// mount points (a file for a file) as an engine does.
//
// With Pivot set, the root is entered with pivot_root rather than chroot,
// as a container engine does: then a process that enters its mount
// namespace again (Nix does, before it runs git to fetch a git input)
// keeps the root, where after a chroot it would find the host's.
type Command struct {
	Root               string
	Lower, Upper, Work string
	Binds              []Bind
	UID, GID           int
	Env                []string
	Argv               []string
	Dir                string
	Pivot              bool
}

// Bind is a bind mount of Source, a directory or a file of the host, at
// Target inside the root.
type Bind struct {
	Source, Target string
	ReadOnly       bool
}

// RunInRoot runs c and returns its standard output and error. It re-executes
// the test binary, so the test package's TestMain must call ServeRootfs
// first. It needs root; like Require, it fails in CI and skips elsewhere
// when the test does not run as root.
func RunInRoot(t testing.TB, c Command) (stdout, stderr string, err error) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("running an image's programs needs root, and CI runs as root")
		}
		t.Skip("skipping: running an image's programs needs root")
	}
	spec, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), rootfsEnv+"="+string(spec))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// ServeRootfs turns the test binary into RunInRoot's helper when it was
// started by RunInRoot, and returns otherwise. Call it first in TestMain.
func ServeRootfs() {
	spec := os.Getenv(rootfsEnv)
	if spec == "" {
		return
	}
	var c Command
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fail("decoding the command: %v", err)
	}
	if err := enterRoot(c); err != nil {
		fail("%v", err)
	}
	path, err := lookPath(c.Argv[0], c.Env)
	if err != nil {
		fail("%v", err)
	}
	fail("exec %s: %v", path, syscall.Exec(path, c.Argv, c.Env))
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "testenv rootfs: "+format+"\n", args...)
	os.Exit(127)
}

// enterRoot does everything but the exec: the calls apply to the whole
// process, as Go's syscall package makes setuid and setgid do on Linux.
func enterRoot(c Command) error {
	runtime.LockOSThread()
	if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unsharing the mount namespace: %w", err)
	}
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	if c.Lower != "" {
		opts := "lowerdir=" + c.Lower + ",upperdir=" + c.Upper + ",workdir=" + c.Work
		if err := syscall.Mount("overlay", c.Root, "overlay", 0, opts); err != nil {
			return fmt.Errorf("mounting the overlay %s: %w", opts, err)
		}
	}
	for _, b := range c.Binds {
		if err := bind(c.Root, b); err != nil {
			return err
		}
	}
	for _, d := range []string{"dev", "proc"} {
		target := filepath.Join(c.Root, d)
		if err := os.MkdirAll(target, 0o755); err != nil {
			return err
		}
		if err := syscall.Mount("/"+d, target, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("binding /%s: %w", d, err)
		}
	}
	if c.Pivot {
		if err := pivot(c.Root); err != nil {
			return err
		}
	} else if err := syscall.Chroot(c.Root); err != nil {
		return fmt.Errorf("chroot %s: %w", c.Root, err)
	}
	dir := c.Dir
	if dir == "" {
		dir = "/"
	}
	if err := os.Chdir(dir); err != nil {
		return err
	}
	if err := syscall.Setgroups(nil); err != nil {
		return fmt.Errorf("dropping groups: %w", err)
	}
	if err := syscall.Setgid(c.GID); err != nil {
		return fmt.Errorf("setgid %d: %w", c.GID, err)
	}
	if err := syscall.Setuid(c.UID); err != nil {
		return fmt.Errorf("setuid %d: %w", c.UID, err)
	}
	return nil
}

// oldRoot is where pivot puts the host's root, inside the new one, until
// it detaches it.
const oldRoot = ".testenv-old-root"

// pivot makes root the root of the mount namespace, and detaches the
// host's.
func pivot(root string) error {
	// pivot_root wants the new root to be a mount point.
	if err := syscall.Mount(root, root, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("binding the root %s onto itself: %w", root, err)
	}
	old := filepath.Join(root, oldRoot)
	if err := os.MkdirAll(old, 0o700); err != nil {
		return err
	}
	if err := syscall.PivotRoot(root, old); err != nil {
		return fmt.Errorf("pivot_root %s: %w", root, err)
	}
	if err := os.Chdir("/"); err != nil {
		return err
	}
	if err := syscall.Unmount("/"+oldRoot, syscall.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the host's root: %w", err)
	}
	return os.Remove("/" + oldRoot)
}

// bind mounts b into root, making its mount point.
func bind(root string, b Bind) error {
	target := filepath.Join(root, b.Target)
	fi, err := os.Stat(b.Source)
	if err != nil {
		return fmt.Errorf("binding %s: %w", b.Source, err)
	}
	if fi.IsDir() {
		err = os.MkdirAll(target, 0o755)
	} else if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
		var f *os.File
		if f, err = os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			err = f.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("making the mount point %s: %w", b.Target, err)
	}
	if err := syscall.Mount(b.Source, target, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("binding %s at %s: %w", b.Source, b.Target, err)
	}
	if b.ReadOnly {
		if err := syscall.Mount("", target, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("making %s read-only: %w", b.Target, err)
		}
	}
	return nil
}

// lookPath finds name in the PATH of env, inside the current root.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, kv := range env {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, dir := range filepath.SplitList(p) {
				f := filepath.Join(dir, name)
				if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
					return f, nil
				}
			}
		}
	}
	return "", fmt.Errorf("%s is not in the image's PATH", name)
}
