package atomic

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "f.json")
	if err := WriteFile(p, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if err != nil || string(data) != "two" || fi.Mode().Perm() != 0o644 {
		t.Errorf("read %q (%v), mode %v", data, err, fi.Mode())
	}
	if names := list(t, filepath.Dir(p)); !slices.Equal(names, []string{"f.json"}) {
		t.Errorf("left %v", names)
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	if !IsTemp(filepath.Base(f.Name())) || !strings.HasPrefix(filepath.Base(f.Name()), ".f"+Marker) {
		t.Errorf("temporary name %s", f.Name())
	}
	f.Abort()
	f.Abort()
	if names := list(t, dir); len(names) != 0 {
		t.Errorf("left %v", names)
	}
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * Grace)
	touch := func(name string, age time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, age, age); err != nil {
			t.Fatal(err)
		}
		return p
	}
	touch(".a.gz"+Marker+"1", old)        // a killed writer's
	touch(".a.gz"+Marker+"2", time.Now()) // too young to tell
	touch("a.gz", old)                    // a real entry
	touch(".hidden", old)                 // not a temporary file
	// A writer still at work, in this process: its lock is held.
	live, err := Create(filepath.Join(dir, "b.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	if err := os.Chtimes(live.Name(), old, old); err != nil {
		t.Fatal(err)
	}
	d, err := MkdirTemp(filepath.Join(dir, "layout"), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(d.Path, old, old); err != nil {
		t.Fatal(err)
	}

	removed := Sweep(dir, "")
	if !slices.Equal(removed, []string{".a.gz" + Marker + "1"}) {
		t.Errorf("Sweep removed %v", removed)
	}
	// A directory whose writer released it is gone too; with base, only
	// the entries made for that name go.
	d.Release()
	if removed := Sweep(dir, "other"); len(removed) != 0 {
		t.Errorf("Sweep of other removed %v", removed)
	}
	if removed := Sweep(dir, "layout"); len(removed) != 1 || !strings.HasPrefix(removed[0], ".layout"+Marker) {
		t.Errorf("Sweep of layout removed %v", removed)
	}
}

// TestSweepAfterKill kills a process while it holds a temporary file, as
// kill -9 does to a build, and checks that Sweep then removes the file.
func TestSweepAfterKill(t *testing.T) {
	if os.Getenv("NIXLAYER_ATOMIC_WRITER") != "" {
		f, err := Create(os.Getenv("NIXLAYER_ATOMIC_WRITER"))
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(f.Name() + "\n")
		time.Sleep(time.Hour)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepAfterKill$")
	cmd.Env = append(os.Environ(), "NIXLAYER_ATOMIC_WRITER="+filepath.Join(dir, "f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, _ := out.Read(buf)
	tmp := strings.TrimSpace(string(buf[:n]))
	old := time.Now().Add(-2 * Grace)
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	if removed := Sweep(dir, ""); len(removed) != 0 {
		t.Errorf("Sweep removed %v while the writer lives", removed)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if removed := Sweep(dir, ""); len(removed) != 1 {
		t.Errorf("Sweep removed %v after the kill, want the writer's file", removed)
	}
}

func list(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
