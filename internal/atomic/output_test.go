package atomic_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/atomic"
)

func writeOutput(t *testing.T, path, data string) {
	t.Helper()
	out, err := atomic.OpenOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	if _, err := out.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOpenOutput checks that an output replaces a regular file, follows
// a link to one (the link stays), and writes a device or a pipe in place
// (it stays a device or a pipe).
func TestOpenOutput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "image.tar")
	writeOutput(t, file, "one")
	writeOutput(t, file, "two")
	if data, _ := os.ReadFile(file); string(data) != "two" {
		t.Errorf("the file holds %q, want two", data)
	}

	link := filepath.Join(dir, "latest.tar")
	if err := os.Symlink("image.tar", link); err != nil {
		t.Fatal(err)
	}
	writeOutput(t, link, "three")
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(file); string(data) != "three" {
		t.Errorf("the link's file holds %q, want three", data)
	}
	dangling := filepath.Join(dir, "next.tar")
	if err := os.Symlink("new.tar", dangling); err != nil {
		t.Fatal(err)
	}
	writeOutput(t, dangling, "four")
	if data, _ := os.ReadFile(filepath.Join(dir, "new.tar")); string(data) != "four" {
		t.Errorf("the dangling link's file holds %q, want four", data)
	}

	writeOutput(t, os.DevNull, "nothing")
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a character device: %v, %v", os.DevNull, fi.Mode(), err)
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cat := exec.Command("cat", fifo)
	var got strings.Builder
	cat.Stdout = &got
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}
	writeOutput(t, fifo, "through a pipe")
	if err := cat.Wait(); err != nil || got.String() != "through a pipe" {
		t.Errorf("the pipe's reader got %q (%v)", got.String(), err)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe is no longer a pipe: %v, %v", fi.Mode(), err)
	}
}

// TestOpenOutputStdout checks /dev/stdout as a child process sees it:
// redirected to a file, the file gets the output (it is not renamed over,
// which would leave the shell's descriptor on a deleted file); to a pipe,
// the pipe does.
func TestOpenOutputStdout(t *testing.T) {
	if os.Getenv("ATOMIC_WRITE_STDOUT") != "" {
		writeOutput(t, "/dev/stdout", "to stdout")
		os.Exit(0) // before the test binary's own PASS line
	}
	file := filepath.Join(t.TempDir(), "out.tar")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestOpenOutputStdout$")
	child.Env = append(os.Environ(), "ATOMIC_WRITE_STDOUT=1")
	child.Stdout = f
	var stderr strings.Builder
	child.Stderr = &stderr
	if err := child.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	f.Close()
	if data, _ := os.ReadFile(file); string(data) != "to stdout" {
		t.Errorf("stdout redirected to a file got %q", data)
	}
	piped := exec.Command(os.Args[0], "-test.run=^TestOpenOutputStdout$")
	piped.Env = append(os.Environ(), "ATOMIC_WRITE_STDOUT=1")
	out, err := piped.Output()
	if err != nil || string(out) != "to stdout" {
		t.Errorf("stdout to a pipe got %q (%v)", out, err)
	}
}

// TestWorkDir checks that a run's work directory is locked while the run
// holds it and that the next run removes one a killed run left (unlocked
// and older than Grace), not one another run holds.
func TestWorkDir(t *testing.T) {
	tmp := t.TempDir()
	held, err := atomic.WorkDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer held.RemoveAll()
	killed := filepath.Join(tmp, ".nixlayer-work"+atomic.Marker+"123")
	if err := os.MkdirAll(filepath.Join(killed, "image"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * atomic.Grace)
	for _, p := range []string{killed, held.Path} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	next, err := atomic.WorkDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer next.RemoveAll()
	if _, err := os.Stat(killed); err == nil {
		t.Errorf("the killed run's work directory %s is still there", killed)
	}
	if _, err := os.Stat(held.Path); err != nil {
		t.Errorf("the work directory another run holds was removed: %v", err)
	}
	if !strings.HasPrefix(filepath.Base(next.Path), ".") {
		t.Errorf("the work directory %s does not start with a dot", next.Path)
	}
}

// TestWorkDirInTempDir checks that a run given no directory works in the
// system's temporary directory, never in the working directory.
func TestWorkDirInTempDir(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	wd, err := atomic.WorkDir("")
	if err != nil {
		t.Fatal(err)
	}
	defer wd.RemoveAll()
	if filepath.Dir(wd.Path) != os.TempDir() {
		t.Errorf("the work directory is %s, not in %s", wd.Path, os.TempDir())
	}
}
