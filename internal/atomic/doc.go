// Package atomic is nixlayer's one way of writing files and directories
// that a reader never sees half-written, and of cleaning up after writers
// that were killed.
//
// A file is written under a temporary name beside its final path, synced
// and renamed into place; until then, nobody sees a partial file at the
// final path, even if the process is killed:
//
//	f, err := atomic.Create("cache/catalog-1f2e.json")
//	if err != nil {
//		return err
//	}
//	defer f.Abort()
//	if _, err := f.Write(data); err != nil {
//		return err
//	}
//	return f.Commit(0o644)
//
// Every temporary name has Marker in it, and its writer holds an exclusive
// flock(2) on it while it writes. So Sweep, run at the start of a build,
// can tell the leftovers of a killed writer (no lock held) from a
// concurrent build's work in progress (locked), on the same machine or in
// another container sharing the directory, and removes only the former.
package atomic
