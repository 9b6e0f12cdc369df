package pipeline

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/cachedir"
)

// TestFileSums checks that a tree's digest follows its content, and that a
// remembered sum is taken from its stat, not from reading the file again.
func TestFileSums(t *testing.T) {
	dir, cache := t.TempDir(), cachedir.Dir(t.TempDir())
	file := filepath.Join(dir, "a")
	if err := os.WriteFile(file, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(racyWindow + 100*time.Millisecond) // older than the racy window
	first, err := loadFileSums(cache).tree(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadFileSums(cache).tree(dir)
	if err != nil || again != first {
		t.Fatalf("the same tree: %s, then %s (%v)", first, again, err)
	}

	// The remembered sum is used while the stat is the same.
	s := loadFileSums(cache)
	entry, ok := s.sums[file]
	if !ok {
		t.Fatal("no sum was remembered for a file older than the racy window")
	}
	entry.Sum = "remembered"
	s.sums[file] = entry
	if got, err := s.tree(dir); err != nil || got == first {
		t.Errorf("a remembered sum was not used: %s, %v", got, err)
	}

	// A change of content changes the digest.
	if err := os.WriteFile(file, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := loadFileSums(cache).tree(dir); err != nil || got == first {
		t.Errorf("after a change: %s, %v; want another digest than %s", got, err, first)
	}

	// A damaged record of sums is only a slower build.
	if err := os.WriteFile(cache.FileSums(), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadFileSums(cache).tree(dir); err != nil {
		t.Errorf("with a damaged record: %v", err)
	}
}
