package image

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fileDigest returns the hex sha256 digest of the file at path.
func fileDigest(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// buildResult is what a build gives that must not depend on where, when
// or how it ran.
type buildResult struct {
	Manifest string // digest
	Archive  string // sha256 of the archive file
}

// buildSample builds the sample closure in store with a fresh cache in
// cacheDir and jobs jobs, and writes its archive in outDir.
func buildSample(t *testing.T, s *fakeStore, closure [][]StorePath, cacheDir, outDir string, jobs int) buildResult {
	t.Helper()
	img, err := buildImage(context.Background(), newBuilder(t, s, cacheDir, jobs), closure)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(outDir, "image.tar")
	if err := WriteArchive(context.Background(), img, out, "hello:1"); err != nil {
		t.Fatal(err)
	}
	return buildResult{Manifest: mustDigest(t, img).String(), Archive: fileDigest(t, out)}
}

func TestDeterminism(t *testing.T) {
	s := newFakeStore(t)
	closure := sampleClosure(s)
	want := buildSample(t, s, closure, t.TempDir(), t.TempDir(), 1)
	for _, tc := range []struct {
		name string
		jobs int
	}{
		{"another cache, one job", 1},
		{"another cache, four jobs", 4},
		{"another cache, GOMAXPROCS jobs", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := buildSample(t, s, closure, t.TempDir(), t.TempDir(), tc.jobs)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-first +this):\n%s", diff)
			}
		})
	}
	t.Run("synthetic closure, one job and four", func(t *testing.T) {
		s := newFakeStore(t)
		closure := syntheticClosure(s, 4<<20)
		one := buildSample(t, s, closure, t.TempDir(), t.TempDir(), 1)
		four := buildSample(t, s, closure, t.TempDir(), t.TempDir(), 4)
		if diff := cmp.Diff(one, four); diff != "" {
			t.Errorf("(-one job +four jobs):\n%s", diff)
		}
	})
	t.Run("another store root without hard links", func(t *testing.T) {
		other := newFakeStore(t)
		copyTree(t, s.root, other.root)
		got := buildSample(t, other, closure, t.TempDir(), t.TempDir(), 4)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-first +this):\n%s", diff)
		}
	})
}

// copyTree copies the files, directories and links below src to dst,
// keeping permissions but not hard links.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755) // made read-only by the caller's fake store cleanup only
		case info.Mode()&os.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, 0o600); err != nil {
				return err
			}
			return os.Chmod(target, info.Mode())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Directory permissions last, deepest first, since they forbid writing.
	var dirs []string
	_ = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		info, err := os.Stat(dirs[i])
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(src, dirs[i])
		if err := os.Chmod(filepath.Join(dst, rel), info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// childEnv is the environment variable that makes TestDeterminismAcrossProcesses
// the child: it holds the JSON of a childJob.
const childEnv = "NIXLAYER_IMAGE_TEST_CHILD"

// childJob is the work of a child process.
type childJob struct {
	StoreRoot string
	Closure   [][]StorePath
	Result    string // file to write the buildResult to
}

// TestDeterminismAcrossProcesses builds the sample closure in this process
// and in two child processes, each with its own cache, output directory
// and TMPDIR, and compares the results.
func TestDeterminismAcrossProcesses(t *testing.T) {
	if job := os.Getenv(childEnv); job != "" {
		runChild(t, job)
		return
	}
	s := newFakeStore(t)
	closure := sampleClosure(s)
	want := buildSample(t, s, closure, t.TempDir(), t.TempDir(), 0)
	for i := range 2 {
		resultFile := filepath.Join(t.TempDir(), "result.json")
		job, err := json.Marshal(childJob{StoreRoot: s.root, Closure: closure, Result: resultFile})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestDeterminismAcrossProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+string(job), "TMPDIR="+t.TempDir(), "GOMAXPROCS="+[]string{"1", "3"}[i])
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, out)
		}
		data, err := os.ReadFile(resultFile)
		if err != nil {
			t.Fatalf("child %d wrote no result: %v", i, err)
		}
		var got buildResult
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("child %d (-parent +child):\n%s", i, diff)
		}
	}
}

// runChild does the work of a child process of
// TestDeterminismAcrossProcesses.
func runChild(t *testing.T, jobJSON string) {
	var job childJob
	if err := json.Unmarshal([]byte(jobJSON), &job); err != nil {
		t.Fatal(err)
	}
	s := &fakeStore{t: t, root: job.StoreRoot}
	res := buildSample(t, s, job.Closure, t.TempDir(), t.TempDir(), 0)
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(job.Result, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Manifest, "sha256:") {
		t.Fatalf("manifest digest %q", res.Manifest)
	}
}
