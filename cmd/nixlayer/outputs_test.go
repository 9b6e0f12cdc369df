package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestArchiveOutputs checks where -o writes the archive, as users name
// it: "-" is standard output, with the summary on standard error; a link
// to a file is followed and stays a link; a device (/dev/null) and a pipe
// are written in place and stay what they are. Each gets the bytes of the
// archive written to a plain file.
func TestArchiveOutputs(t *testing.T) {
	buildEnv(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "runtime.tar")
	if code, _, stderr := cli(t, "build", "runtime", "-q", "-o", file); code != exitOK {
		t.Fatalf("nixlayer build -o %s: exit status %d: %s", file, code, stderr)
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := cli(t, "build", "runtime", "-o", "-")
	if code != exitOK {
		t.Fatalf("nixlayer build -o -: exit status %d: %s", code, stderr)
	}
	if !bytes.Equal([]byte(stdout), want) {
		t.Errorf("-o - wrote %d bytes to standard output, want the archive's %d", len(stdout), len(want))
	}
	if !strings.Contains(stderr, "wrote   standard output\n") {
		t.Errorf("-o -: the summary is not on standard error:\n%s", stderr)
	}
	if code, stdout, stderr := cli(t, "build", "runtime", "-q", "-o", "-"); code != exitOK || len(stdout) != len(want) || stderr != "" {
		t.Errorf("-q -o -: exit status %d, %d bytes out, standard error %q; want the archive alone", code, len(stdout), stderr)
	}

	target := filepath.Join(dir, "target.tar")
	link := filepath.Join(dir, "latest.tar")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("target.tar", link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "build", "runtime", "-q", "-o", link); code != exitOK {
		t.Fatalf("-o a link: exit status %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("-o a link replaced the link (%v)", err)
	}
	if data, _ := os.ReadFile(target); !bytes.Equal(data, want) {
		t.Errorf("-o a link: its file holds %d bytes, want the archive's %d", len(data), len(want))
	}

	if code, _, stderr := cli(t, "build", "runtime", "-q", "-o", os.DevNull); code != exitOK {
		t.Fatalf("-o %s: exit status %d: %s", os.DevNull, code, stderr)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("-o %s made it a %v (%v)", os.DevNull, fi.Mode(), err)
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	cat := exec.Command("cat", fifo)
	cat.Stdout = &got
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "build", "runtime", "-q", "-o", fifo); code != exitOK {
		t.Fatalf("-o a pipe: exit status %d: %s", code, stderr)
	}
	if err := cat.Wait(); err != nil || !bytes.Equal(got.Bytes(), want) {
		t.Errorf("-o a pipe: its reader got %d bytes (%v), want the archive's %d", got.Len(), err, len(want))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("-o a pipe made it a %v (%v)", fi.Mode(), err)
	}
}
